/** MSB-first bit writer with the Exp-Golomb codes H.264 headers use. */
export class BitWriter {
  private buf = new Uint8Array(1024);
  private byteLen = 0;
  private cur = 0;
  private curBits = 0;

  private ensure(extra: number): void {
    if (this.byteLen + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.byteLen + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.byteLen));
    this.buf = next;
  }

  /** Writes the low `count` bits of `value` (count <= 32). */
  bits(value: number, count: number): void {
    for (let i = count - 1; i >= 0; i--) {
      this.cur = (this.cur << 1) | (Math.floor(value / 2 ** i) & 1);
      if (++this.curBits === 8) {
        this.ensure(1);
        this.buf[this.byteLen++] = this.cur;
        this.cur = 0;
        this.curBits = 0;
      }
    }
  }

  bit(flag: boolean | number): void {
    this.bits(flag ? 1 : 0, 1);
  }

  /** Unsigned Exp-Golomb, ue(v). */
  ue(value: number): void {
    const code = value + 1;
    const length = Math.floor(Math.log2(code)) + 1;
    this.bits(0, length - 1);
    this.bits(code, length);
  }

  /** Signed Exp-Golomb, se(v). */
  se(value: number): void {
    this.ue(value > 0 ? 2 * value - 1 : -2 * value);
  }

  get aligned(): boolean {
    return this.curBits === 0;
  }

  /** Zero bits up to the next byte boundary. */
  alignZero(): void {
    if (this.curBits > 0) this.bits(0, 8 - this.curBits);
  }

  /** Raw bytes; the writer must be byte aligned. */
  bytes(data: Uint8Array): void {
    if (this.curBits !== 0) throw new Error('BitWriter.bytes needs byte alignment');
    this.ensure(data.length);
    this.buf.set(data, this.byteLen);
    this.byteLen += data.length;
  }

  /** rbsp_trailing_bits: a one bit, then zeros to the byte boundary. Returns the RBSP. */
  finishRbsp(): Uint8Array {
    this.bit(1);
    this.alignZero();
    return this.buf.slice(0, this.byteLen);
  }
}
