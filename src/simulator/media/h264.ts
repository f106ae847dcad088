import { BitWriter } from './bit-writer.js';
import { emptyCoeffToken, exactIntraChoice } from './h264-intra.js';

/**
 * A tiny H.264 Constrained Baseline encoder that needs no DCT: a macroblock is either
 * predicted exactly from its neighbours (Intra 16x16, no residual), or sent raw (I_PCM), and
 * in P pictures a macroblock that did not change is skipped (mb_skip_run, motion vector zero). The output is lossless, valid H.264 any decoder plays;
 * it suits the simulator's cartoons (a flat scene with a moving figure and a clock), not
 * camera footage. See docs/blink-api.md, "Clips and media".
 */

/** A 4:2:0 picture: width and height multiples of 16, samples in 1..255. */
export interface YuvFrame {
  width: number;
  height: number;
  y: Uint8Array;
  u: Uint8Array;
  v: Uint8Array;
}

export interface EncodedFrame {
  /** One slice NAL unit (header byte + escaped payload), no start code or length prefix. */
  nal: Uint8Array;
  key: boolean;
}

export interface H264Encoder {
  readonly width: number;
  readonly height: number;
  /** Sequence and picture parameter set NAL units. */
  readonly sps: Uint8Array;
  readonly pps: Uint8Array;
  /** 'avc1.42C01E'-style codec string for the SPS above. */
  readonly codec: string;
  /** Codes the next picture; an IDR when `key` or when nothing was coded before. */
  encode(frame: YuvFrame, key?: boolean): EncodedFrame;
}

const PROFILE_BASELINE = 66;
/** constraint_set0 and constraint_set1: Constrained Baseline, what every phone decodes. */
const CONSTRAINT_FLAGS = 0xc0;
const LEVEL_3_0 = 30;
const LOG2_MAX_FRAME_NUM = 8;
const MB_TYPE_I_PCM = 25;
/** I_16x16_<mode>_0_0: prediction mode, no chroma or luma coefficients. */
const MB_TYPE_I16X16_BASE = 1;
/** TotalCoeff of a macroblock's luma blocks as neighbours see it (CAVLC nC): I_PCM counts 16. */
const PCM_COEFFS = 16;
/** In P slices the intra types follow the five inter types. */
const P_SLICE_INTRA_OFFSET = 5;
const NAL_SLICE = 1;
const NAL_IDR = 5;
const NAL_SPS = 7;
const NAL_PPS = 8;

/** Adds emulation-prevention bytes (00 00 0x → 00 00 03 0x) and the NAL header byte. */
function nalUnit(type: number, refIdc: number, rbsp: Uint8Array): Uint8Array {
  const out = new Uint8Array(1 + rbsp.length + Math.ceil(rbsp.length / 2) + 1);
  out[0] = (refIdc << 5) | type;
  let n = 1;
  let zeros = 0;
  for (const byte of rbsp) {
    if (zeros >= 2 && byte <= 3) {
      out[n++] = 3;
      zeros = 0;
    }
    out[n++] = byte;
    zeros = byte === 0 ? zeros + 1 : 0;
  }
  return out.slice(0, n);
}

function buildSps(mbWidth: number, mbHeight: number): Uint8Array {
  const w = new BitWriter();
  w.bits(PROFILE_BASELINE, 8);
  w.bits(CONSTRAINT_FLAGS, 8);
  w.bits(LEVEL_3_0, 8);
  w.ue(0); // seq_parameter_set_id
  w.ue(LOG2_MAX_FRAME_NUM - 4);
  w.ue(2); // pic_order_cnt_type 2: output order is decode order, no POC in slices
  w.ue(1); // max_num_ref_frames
  w.bit(0); // gaps_in_frame_num_value_allowed_flag
  w.ue(mbWidth - 1);
  w.ue(mbHeight - 1);
  w.bit(1); // frame_mbs_only_flag
  w.bit(1); // direct_8x8_inference_flag
  w.bit(0); // frame_cropping_flag
  w.bit(0); // vui_parameters_present_flag
  return nalUnit(NAL_SPS, 3, w.finishRbsp());
}

function buildPps(): Uint8Array {
  const w = new BitWriter();
  w.ue(0); // pic_parameter_set_id
  w.ue(0); // seq_parameter_set_id
  w.bit(0); // entropy_coding_mode_flag: CAVLC
  w.bit(0); // bottom_field_pic_order_in_frame_present_flag
  w.ue(0); // num_slice_groups_minus1
  w.ue(0); // num_ref_idx_l0_default_active_minus1
  w.ue(0); // num_ref_idx_l1_default_active_minus1
  w.bit(0); // weighted_pred_flag
  w.bits(0, 2); // weighted_bipred_idc
  w.se(0); // pic_init_qp_minus26
  w.se(0); // pic_init_qs_minus26
  w.se(0); // chroma_qp_index_offset
  w.bit(1); // deblocking_filter_control_present_flag: slices turn the filter off
  w.bit(0); // constrained_intra_pred_flag
  w.bit(0); // redundant_pic_cnt_present_flag
  return nalUnit(NAL_PPS, 3, w.finishRbsp());
}

/** True when macroblock (mx, my) has the same samples in both pictures. */
function sameMacroblock(a: YuvFrame, b: YuvFrame, mx: number, my: number): boolean {
  const w = a.width;
  for (let row = 0; row < 16; row++) {
    const o = (my * 16 + row) * w + mx * 16;
    for (let i = 0; i < 16; i++) if (a.y[o + i] !== b.y[o + i]) return false;
  }
  const cw = w / 2;
  for (let row = 0; row < 8; row++) {
    const o = (my * 8 + row) * cw + mx * 8;
    for (let i = 0; i < 8; i++) if (a.u[o + i] !== b.u[o + i] || a.v[o + i] !== b.v[o + i]) return false;
  }
  return true;
}

function writePcmMacroblock(w: BitWriter, f: YuvFrame, mx: number, my: number, mbType: number, scratch: Uint8Array): void {
  w.ue(mbType);
  w.alignZero(); // pcm_alignment_zero_bit
  let n = 0;
  for (let row = 0; row < 16; row++) {
    const o = (my * 16 + row) * f.width + mx * 16;
    for (let i = 0; i < 16; i++) scratch[n++] = Math.max(1, f.y[o + i] ?? 1);
  }
  const cw = f.width / 2;
  for (const plane of [f.u, f.v]) {
    for (let row = 0; row < 8; row++) {
      const o = (my * 8 + row) * cw + mx * 8;
      for (let i = 0; i < 8; i++) scratch[n++] = Math.max(1, plane[o + i] ?? 1);
    }
  }
  w.bytes(scratch);
}

export function createH264Encoder(width: number, height: number): H264Encoder {
  if (width % 16 !== 0 || height % 16 !== 0 || width <= 0 || height <= 0) {
    throw new Error(`H.264 picture size must be a positive multiple of 16, got ${width}x${height}`);
  }
  const mbWidth = width / 16;
  const mbHeight = height / 16;
  const sps = buildSps(mbWidth, mbHeight);
  const pps = buildPps();
  const hex = (n: number): string => n.toString(16).toUpperCase().padStart(2, '0');
  const scratch = new Uint8Array(384);
  // Per macroblock of the current picture: TotalCoeff of its 4x4 luma blocks (skip and
  // predicted macroblocks have none, I_PCM counts 16).
  const coeffs = new Uint8Array(mbWidth * mbHeight);

  /** Codes one macroblock as an exact prediction when possible, else as I_PCM. */
  function intraMacroblock(w: BitWriter, frame: YuvFrame, mx: number, my: number, typeOffset: number): void {
    const choice = exactIntraChoice(frame, mx, my);
    const index = my * mbWidth + mx;
    if (!choice) {
      writePcmMacroblock(w, frame, mx, my, typeOffset + MB_TYPE_I_PCM, scratch);
      coeffs[index] = PCM_COEFFS;
      return;
    }
    w.ue(typeOffset + MB_TYPE_I16X16_BASE + choice.lumaMode);
    w.ue(choice.chromaMode); // intra_chroma_pred_mode
    w.se(0); // mb_qp_delta
    const nA = mx > 0 ? coeffs[index - 1] : undefined;
    const nB = my > 0 ? coeffs[index - mbWidth] : undefined;
    const nC = nA !== undefined && nB !== undefined ? (nA + nB + 1) >> 1 : (nA ?? nB ?? 0);
    const token = emptyCoeffToken(nC);
    w.bits(token.bits, token.length); // the empty Intra16x16 DC block
    coeffs[index] = 0;
  }
  let previous: YuvFrame | undefined;
  let frameNum = 0;
  let idrCount = 0;

  function sliceHeader(w: BitWriter, idr: boolean): void {
    w.ue(0); // first_mb_in_slice
    w.ue(idr ? 2 : 0); // slice_type: I or P
    w.ue(0); // pic_parameter_set_id
    w.bits(frameNum, LOG2_MAX_FRAME_NUM);
    if (idr) w.ue(idrCount & 0xffff); // idr_pic_id: differs between neighbouring IDRs
    if (!idr) {
      w.bit(0); // num_ref_idx_active_override_flag
      w.bit(0); // ref_pic_list_modification_flag_l0
    }
    if (idr) {
      w.bit(0); // no_output_of_prior_pics_flag
      w.bit(0); // long_term_reference_flag
    } else {
      w.bit(0); // adaptive_ref_pic_marking_mode_flag
    }
    w.se(0); // slice_qp_delta
    w.ue(1); // disable_deblocking_filter_idc: lossless pictures need no filter
  }

  return {
    width,
    height,
    sps,
    pps,
    codec: `avc1.${hex(PROFILE_BASELINE)}${hex(CONSTRAINT_FLAGS)}${hex(LEVEL_3_0)}`,
    encode(frame, key = false) {
      if (frame.width !== width || frame.height !== height) throw new Error('frame size differs from the encoder size');
      const idr = key || previous === undefined;
      if (idr) frameNum = 0;
      const w = new BitWriter();
      sliceHeader(w, idr);
      if (idr) {
        for (let my = 0; my < mbHeight; my++) {
          for (let mx = 0; mx < mbWidth; mx++) intraMacroblock(w, frame, mx, my, 0);
        }
      } else {
        const ref = previous;
        let skipped = 0;
        for (let my = 0; my < mbHeight; my++) {
          for (let mx = 0; mx < mbWidth; mx++) {
            if (ref && sameMacroblock(frame, ref, mx, my)) {
              coeffs[my * mbWidth + mx] = 0; // P_Skip: no coefficients
              skipped++;
              continue;
            }
            w.ue(skipped); // mb_skip_run
            skipped = 0;
            intraMacroblock(w, frame, mx, my, P_SLICE_INTRA_OFFSET);
          }
        }
        if (skipped > 0) w.ue(skipped);
      }
      const nal = nalUnit(idr ? NAL_IDR : NAL_SLICE, idr ? 3 : 2, w.finishRbsp());
      if (idr) idrCount++;
      frameNum = (frameNum + 1) % 2 ** LOG2_MAX_FRAME_NUM;
      previous = frame;
      return { nal, key: idr };
    },
  };
}
