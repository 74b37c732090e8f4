/**
 * In-process tests of the CLI's building blocks: the streamed armor encoder and decoder
 * must agree byte for byte with crypto's whole-buffer armor()/dearmor() (including on
 * what they reject), and the argument parser must reject what it does not know.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AgeError, armor, dearmor } from '../../crypto/index.js';
import { HelpRequested, UsageError, parseArgs } from '../../scripts/cli-util.js';
import { armorStream, dearmorStream } from '../../scripts/commands/age.js';

async function collect(gen: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const c of gen) parts.push(c);
  return Buffer.concat(parts);
}

/** Split `data` at the given cut points (any order, any values) into chunks. */
async function* chunked(data: Uint8Array, cuts: number[]): AsyncGenerator<Uint8Array> {
  const points = [...new Set(cuts.map((c) => c % (data.length + 1)))].sort((a, b) => a - b);
  let last = 0;
  for (const p of points) {
    yield data.subarray(last, p);
    last = p;
  }
  yield data.subarray(last);
}

/** The outcome of a decoder: the bytes, or the failure class. */
async function outcome(f: () => Promise<Uint8Array>): Promise<string> {
  try {
    return 'ok:' + Buffer.from(await f()).toString('hex');
  } catch (e) {
    if (e instanceof AgeError) return `error:${e.kind}`;
    throw e;
  }
}

const data = fc.uint8Array({ maxLength: 700 });
const cuts = fc.array(fc.nat(), { maxLength: 6 });

describe('armorStream', () => {
  it('writes exactly the bytes of armor(), however the input is chunked', async () => {
    await fc.assert(
      fc.asyncProperty(data, cuts, async (d, c) => {
        const streamed = await collect(armorStream(chunked(d, c)));
        expect(streamed.toString('latin1')).toBe(armor(d));
      }),
      { numRuns: 300 },
    );
  });

  it('handles a multiple of 48 bytes and the empty input', async () => {
    for (const n of [0, 47, 48, 49, 96, 48 * 1000]) {
      const d = new Uint8Array(n).fill(n & 0xff);
      expect((await collect(armorStream(chunked(d, [5, 100])))).toString('latin1')).toBe(armor(d));
    }
  });
});

describe('dearmorStream', () => {
  it('decodes armor(), with CRLF and surrounding whitespace, however it is chunked', async () => {
    await fc.assert(
      fc.asyncProperty(data, cuts, fc.boolean(), fc.constantFrom('', '\n', ' \t\r\n'), async (d, c, crlf, ws) => {
        let text = armor(d);
        if (crlf) text = text.replace(/\n/g, '\r\n');
        text = ws + text + ws;
        const decoded = await collect(dearmorStream(chunked(Buffer.from(text, 'latin1'), c)));
        expect(decoded.toString('hex')).toBe(Buffer.from(d).toString('hex'));
      }),
      { numRuns: 300 },
    );
  });

  it('accepts and rejects exactly what dearmor() does, on single-byte mutations', async () => {
    const mutation = fc.record({
      at: fc.nat(),
      kind: fc.constantFrom('replace', 'insert', 'delete'),
      byte: fc.oneof(fc.constantFrom(0x0a, 0x0d, 0x20, 0x09, 0x3d, 0x2b, 0x2f, 0x41, 0x2d, 0x00, 0xff, 0x7f), fc.integer({ min: 0, max: 255 })),
    });
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), mutation, cuts, async (d, m, c) => {
        const bytes = Buffer.from(armor(d), 'latin1');
        const at = m.at % (bytes.length + 1);
        let mutated: Buffer;
        if (m.kind === 'insert') mutated = Buffer.concat([bytes.subarray(0, at), Buffer.from([m.byte]), bytes.subarray(at)]);
        else if (m.kind === 'delete') mutated = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + 1)]);
        else {
          mutated = Buffer.from(bytes);
          if (at < mutated.length) mutated[at] = m.byte;
        }
        const expected = await outcome(async () => dearmor(mutated));
        const actual = await outcome(() => collect(dearmorStream(chunked(mutated, c))));
        // dearmor() tells armor errors apart from nothing else, so compare "ok + bytes" or "error".
        expect(actual).toBe(expected);
      }),
      { numRuns: 1500 },
    );
  });

  it('rejects what is not armor', async () => {
    const bad = [
      '',
      '   \n',
      '-----BEGIN AGE ENCRYPTED FILE-----\n',
      '-----BEGIN AGE ENCRYPTED FILE-----\nAAAA\n',
      '-----BEGIN AGE ENCRYPTED FILE-----\nAB==\n-----END AGE ENCRYPTED FILE-----\n',
      '-----BEGIN AGE ENCRYPTED FILE-----\nAAA\n-----END AGE ENCRYPTED FILE-----\n',
      '-----BEGIN AGE ENCRYPTED FILE-----\nAA==\nAA==\n-----END AGE ENCRYPTED FILE-----\n',
      '-----BEGIN AGE ENCRYPTED FILE-----\nAA==\n-----END AGE ENCRYPTED FILE-----\nmore\n',
      '-----BEGIN AGE ENCRYPTED FILE----- \nAA==\n-----END AGE ENCRYPTED FILE-----\n',
      '-----BEGIN SOMETHING ELSE-----\nAA==\n-----END SOMETHING ELSE-----\n',
      'x'.repeat(10_000),
    ];
    for (const text of bad) {
      await expect(collect(dearmorStream(chunked(Buffer.from(text, 'latin1'), [3])))).rejects.toThrow(AgeError);
    }
  });
});

describe('parseArgs', () => {
  const spec = {
    out: { names: ['-o', '--output'], kind: 'value' },
    rec: { names: ['-r'], kind: 'list' },
    armor: { names: ['-a', '--armor'] },
  } as const;
  const config = { command: 'tipline test', usage: 'Usage: test', maxPositionals: 1 };

  it('reads values, lists, flags, --opt=value, "-" and "--"', () => {
    expect(parseArgs(['-r', 'x', '--output=o', '-a', '-r', 'y', '-'], spec, config)).toEqual({
      options: { out: 'o', rec: ['x', 'y'], armor: true },
      positionals: ['-'],
    });
    expect(parseArgs(['--', '-a'], spec, config)).toEqual({ options: { out: undefined, rec: [], armor: false }, positionals: ['-a'] });
    // A value may start with a dash (Go's flag package does the same).
    expect(parseArgs(['-o', '-'], spec, config).options.out).toBe('-');
  });

  it('throws UsageError for unknown options, missing values, repeats and extra arguments', () => {
    const cases: [string[], string][] = [
      [['--nope'], 'unknown option "--nope"'],
      [['-ax'], 'unknown option "-ax"'],
      [['-o'], 'option -o needs a value'],
      [['-o', 'a', '--output', 'b'], 'option --output given more than once'],
      [['--armor=yes'], 'option --armor takes no value'],
      [['a', 'b'], 'too many arguments'],
    ];
    for (const [argv, message] of cases) {
      let err: unknown;
      try {
        parseArgs(argv, spec, config);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(UsageError);
      expect((err as UsageError).message).toBe(message);
      expect((err as UsageError).command).toBe('tipline test');
      expect((err as UsageError).exitCode).toBe(2);
    }
  });

  it('treats -h and --help anywhere before "--" as a help request', () => {
    expect(() => parseArgs(['--nope', '-h'], spec, config)).toThrow(HelpRequested);
    expect(() => parseArgs(['-a', '--help'], spec, config)).toThrow(HelpRequested);
    expect(parseArgs(['--', '-h'], spec, config).positionals).toEqual(['-h']);
  });
});
