import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src-engine/tensor';
import {
  circle,
  DatasetError,
  gauss,
  generatePlayground,
  regGauss,
  regGaussLabel,
  regPlane,
  spiral,
  xor2d,
} from '../../../src-engine/data';

const rng = (seed = 7) => new Rng(seed);
const radius = (p: { x: number; y: number }) => Math.hypot(p.x, p.y);
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const variance = (v: number[]) => {
  const m = mean(v);
  return mean(v.map((a) => (a - m) ** 2));
};

describe('circle', () => {
  it('puts half the points inside radius 2.5 labelled +1 and half in the ring 3.5–5 labelled −1 at noise 0', () => {
    const pts = circle(500, 0, rng());
    expect(pts).toHaveLength(500);
    const inner = pts.slice(0, 250);
    const outer = pts.slice(250);
    for (const p of inner) {
      expect(radius(p)).toBeLessThanOrEqual(2.5);
      expect(p.label).toBe(1);
    }
    for (const p of outer) {
      expect(radius(p)).toBeGreaterThanOrEqual(3.5);
      expect(radius(p)).toBeLessThanOrEqual(5);
      expect(p.label).toBe(-1);
    }
  });

  it('flips some labels but moves no point when noise is 0.5', () => {
    const pts = circle(1000, 0.5, rng());
    const wrong = pts.filter((p) => (radius(p) < 2.5 ? p.label !== 1 : p.label !== -1)).length;
    expect(wrong).toBeGreaterThan(50);
    expect(Math.max(...pts.map(radius))).toBeLessThanOrEqual(5);
  });
});

describe('xor2d', () => {
  it('keeps every coordinate at least 0.3 from the axes, within ±5.3, labelled by the sign of x·y at noise 0', () => {
    for (const p of xor2d(500, 0, rng())) {
      expect(Math.abs(p.x)).toBeGreaterThanOrEqual(0.3);
      expect(Math.abs(p.y)).toBeGreaterThanOrEqual(0.3);
      expect(Math.abs(p.x)).toBeLessThanOrEqual(5.3);
      expect(Math.abs(p.y)).toBeLessThanOrEqual(5.3);
      expect(p.label).toBe(p.x * p.y >= 0 ? 1 : -1);
    }
  });
});

describe('gauss', () => {
  it('draws two clouds at (2,2) (+1) and (−2,−2) (−1) with variance 0.5 at noise 0', () => {
    const pts = gauss(4000, 0, rng());
    const pos = pts.filter((p) => p.label === 1);
    expect(pos).toHaveLength(2000);
    expect(mean(pos.map((p) => p.x))).toBeCloseTo(2, 1);
    expect(mean(pts.filter((p) => p.label === -1).map((p) => p.y))).toBeCloseTo(-2, 1);
    expect(variance(pos.map((p) => p.x))).toBeGreaterThan(0.45);
    expect(variance(pos.map((p) => p.x))).toBeLessThan(0.55);
  });

  it('maps noise 0.5 to variance 4', () => {
    const pos = gauss(4000, 0.5, rng()).filter((p) => p.label === 1);
    const v = variance(pos.map((p) => p.y));
    expect(v).toBeGreaterThan(3.6);
    expect(v).toBeLessThan(4.4);
  });
});

describe('spiral', () => {
  it('follows r = 5·i/(N/2), t = 3.5π·i/(N/2) (+π for the −1 arm) exactly at noise 0', () => {
    const n = 200;
    const pts = spiral(n, 0, rng());
    for (let i = 0; i < n / 2; i++) {
      const r = (5 * i) / (n / 2);
      const t = (1.75 * 2 * Math.PI * i) / (n / 2);
      expect(pts[i].x).toBeCloseTo(r * Math.sin(t), 12);
      expect(pts[i].y).toBeCloseTo(r * Math.cos(t), 12);
      expect(pts[i].label).toBe(1);
      expect(pts[n / 2 + i].x).toBeCloseTo(-r * Math.sin(t), 12);
      expect(pts[n / 2 + i].label).toBe(-1);
    }
  });
});

describe('regression sets', () => {
  it('reg-plane labels (x + y)/10 within [−6, 6]² at noise 0', () => {
    for (const p of regPlane(300, 0, rng())) {
      expect(Math.abs(p.x)).toBeLessThanOrEqual(6);
      expect(p.label).toBeCloseTo((p.x + p.y) / 10, 12);
    }
  });

  it('reg-gauss gives +1 at a positive centre, −1 at a negative one, 0 far from all, 0.5 at distance 1', () => {
    expect(regGaussLabel(-4, 2.5)).toBe(1);
    expect(regGaussLabel(0, 2.5)).toBe(-1);
    expect(regGaussLabel(4, -2.5)).toBe(-1);
    expect(regGaussLabel(-6, 6)).toBe(0);
    expect(regGaussLabel(-4, 3.5)).toBeCloseTo(0.5, 12);
    for (const p of regGauss(300, 0, rng())) expect(p.label).toBe(regGaussLabel(p.x, p.y));
  });
});

describe('generatePlayground', () => {
  it('gives the same points for the same seed and different ones for another seed', () => {
    const a = generatePlayground('spiral', 100, 0.2, new Rng(3));
    expect(generatePlayground('spiral', 100, 0.2, new Rng(3))).toEqual(a);
    expect(generatePlayground('spiral', 100, 0.2, new Rng(4))).not.toEqual(a);
  });

  it('shuffles once: the same multiset of labels, not in generation order', () => {
    const pts = generatePlayground('gauss', 200, 0, new Rng(1));
    expect(pts.filter((p) => p.label === 1)).toHaveLength(100);
    expect(pts.slice(0, 100).every((p) => p.label === 1)).toBe(false);
  });

  it('refuses an unknown set, noise above 0.5 and fewer than 2 points', () => {
    expect(() => generatePlayground('moons', 100, 0, new Rng(1))).toThrow(DatasetError);
    expect(() => generatePlayground('circle', 100, 0.6, new Rng(1))).toThrow(/noise/);
    expect(() => generatePlayground('circle', 1, 0, new Rng(1))).toThrow(/points/);
  });
});
