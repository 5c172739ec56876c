/** Truth tables of two binary inputs: the smallest problems of the course (XOR needs a hidden layer). */
export type TruthTableName = 'xor' | 'and' | 'or';

const OPS: Readonly<Record<TruthTableName, (a: number, b: number) => number>> = {
  xor: (a, b) => a ^ b,
  and: (a, b) => a & b,
  or: (a, b) => a | b,
};

export function isTruthTableName(name: string): name is TruthTableName {
  return Object.prototype.hasOwnProperty.call(OPS, name);
}

/** Rows (0,0), (0,1), (1,0), (1,1): x shape [4][2] in {0,1}, y shape [4][1] in {0,1}. */
export function truthTable(name: TruthTableName): { x: number[][]; y: number[][] } {
  const op = OPS[name];
  const x = [
    [0, 0],
    [0, 1],
    [1, 0],
    [1, 1],
  ];
  return { x, y: x.map(([a, b]) => [op(a, b)]) };
}
