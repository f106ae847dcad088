import assert from 'node:assert/strict';
import { test } from 'node:test';
import { commands, discordSlashCommands, helpText, telegramCommandMenu } from '../../src/core/registry.js';

const CONTRACT_COMMANDS = [
  'start',
  'help',
  'login',
  'pin',
  'cancel',
  'logout',
  'link',
  'unlink',
  'status',
  'arm',
  'disarm',
  'motion',
  'snap',
  'pictures',
  'clips',
  'clip',
  'local',
  'localclip',
  'live',
  'record',
  'alerts',
  'mute',
  'quiet',
  'allow',
  'deny',
];
const CONTRACT_OPTIONS = new Set(['camera', 'network', 'clip', 'state', 'duration', 'hours', 'chat', 'code', 'seconds']);

test('the registry holds every contract command exactly once', () => {
  assert.deepEqual([...commands.map((c) => c.name)].sort(), [...CONTRACT_COMMANDS].sort());
});

test('/help lists every user command with its usage, admins also see /allow and /deny', () => {
  const text = helpText();
  for (const name of CONTRACT_COMMANDS.filter((n) => !['start', 'allow', 'deny'].includes(n))) {
    assert.match(text, new RegExp(`/${name}\\b`), name);
  }
  assert.doesNotMatch(text, /\/allow/);
  assert.match(helpText({ isAdmin: true }), /\/allow <tg:id\|dc:id>/);
});

test('the Telegram menu has valid command names and descriptions', () => {
  const menu = telegramCommandMenu();
  assert.ok(menu.length >= 18);
  for (const entry of menu) {
    assert.match(entry.command, /^[a-z0-9_]{1,32}$/);
    assert.ok(entry.description.length >= 3 && entry.description.length <= 256, entry.command);
  }
});

test('Discord JSON: one top-level command per contract command except /start, with contract option names', () => {
  const json = discordSlashCommands();
  assert.deepEqual(json.map((c) => c.name).sort(), CONTRACT_COMMANDS.filter((n) => n !== 'start').sort());
  for (const command of json) {
    assert.equal(command.type, 1);
    assert.match(command.name, /^[a-z0-9_-]{1,32}$/);
    assert.ok(command.description.length >= 1 && command.description.length <= 100, command.name);
    let seenOptional = false;
    for (const option of command.options) {
      assert.ok(CONTRACT_OPTIONS.has(option.name), `${command.name}.${option.name}`);
      assert.equal(option.type, 3);
      assert.ok(option.description.length >= 1 && option.description.length <= 100);
      assert.ok(!(option.autocomplete && option.choices), 'autocomplete and choices exclude each other');
      if (!option.required) seenOptional = true;
      else assert.ok(!seenOptional, `${command.name}: required options come first`);
    }
  }
  const byName = new Map(json.map((c) => [c.name, c]));
  const motion = byName.get('motion');
  assert.deepEqual(
    motion?.options.map((o) => [o.name, o.required]),
    [
      ['camera', true],
      ['state', true],
    ],
  );
  assert.deepEqual(motion?.options[1]?.choices, [
    { name: 'on', value: 'on' },
    { name: 'off', value: 'off' },
  ]);
  assert.equal(byName.get('arm')?.options[0]?.autocomplete, true);
  assert.equal(byName.get('arm')?.options[0]?.required, false);
  assert.equal(byName.get('clip')?.options[0]?.autocomplete, true);
  assert.deepEqual(
    byName.get('pin')?.options.map((o) => o.name),
    ['code'],
  );
  assert.deepEqual(
    byName.get('quiet')?.options.map((o) => o.name),
    ['hours'],
  );
});

test('Telegram-style argument text is parsed into the same options Discord sends', () => {
  const find = (name: string) => {
    const c = commands.find((x) => x.name === name);
    assert.ok(c);
    return c;
  };
  assert.deepEqual(find('motion').parse('Front Door off'), { camera: 'Front Door', state: 'off' });
  assert.deepEqual(find('mute').parse('Front Door 8h'), { camera: 'Front Door', duration: '8h' });
  assert.deepEqual(find('mute').parse('off'), { camera: 'off' });
  assert.deepEqual(find('alerts').parse('off Porch'), { state: 'off', camera: 'Porch' });
  assert.deepEqual(find('localclip').parse('7100003 Home'), { clip: '7100003', network: 'Home' });
  assert.deepEqual(find('pin').parse('123 456'), { code: '123456' });
});

test('for every command, usage, Discord options and schema come from one declaration and agree', () => {
  for (const command of commands) {
    const shown = command.args.filter((a) => a.usage !== undefined);
    assert.deepEqual(
      command.options.map((o) => o.name),
      shown.map((a) => a.name),
      command.name,
    );
    for (const a of shown) {
      const option = command.options.find((o) => o.name === a.name);
      const usage = a.usage ?? '';
      assert.ok(command.usage.includes(usage), `${command.name}: ${a.name} in usage`);
      assert.equal(option?.required, a.required, `${command.name}.${a.name} required`);
      assert.equal(a.schema.safeParse(undefined).success, !a.required, `${command.name}.${a.name}: schema and required agree`);
      const bracketed = usage.startsWith('[') && usage.endsWith(']');
      assert.equal(bracketed, !(a.required || a.mainFormOnly === true), `${command.name}.${a.name}: brackets only when optional`);
      if (a.mainFormOnly) assert.match(command.usage, / {2}or {2}\//, `${command.name}: an other form leaves ${a.name} out`);
      assert.equal(option?.autocomplete, a.autocomplete, `${command.name}.${a.name} autocomplete`);
    }
    for (const a of command.args.filter((x) => x.usage === undefined)) {
      assert.equal(a.required, false, `${command.name}.${a.name}: hidden arguments are never required`);
    }
  }
});

test('private replies (login, pin, logout) are a field of the command', () => {
  assert.deepEqual(
    commands
      .filter((c) => c.private)
      .map((c) => c.name)
      .sort(),
    ['login', 'logout', 'pin'],
  );
});
