// The report formatters on a small hand-made report: table, csv, md and jvet content, and hostile
// names (`|`, quotes, commas, newlines, backticks, `<script>`) that must not break any format.
import * as assert from 'assert';
import {
  formatCsv,
  formatJvet,
  formatMarkdown,
  formatReport,
  formatTable,
  type CliReport,
  type ReportLayer,
} from '../../extension/core/report';

const HOSTILE = 'evil|"name",\n<script>alert(1)</script>`tick`';

function layer(path: string, type: string, params: number, macs: number | null, out: number[]): ReportLayer {
  return {
    path,
    type,
    params,
    file: 'model.py',
    line: 3,
    status: macs === null ? 'unknown' : 'ok',
    macs,
    inputShape: [1, 3, 32, 32],
    outputShape: out,
    formula: macs === null ? '' : `N·Cout·Hout·Wout·(Cin/g)·kh·kw = ${macs}`,
    ...(macs === null ? { reason: 'the input shape is unknown' } : {}),
  };
}

// conv: 1·16·32·32·(3/1)·3·3 MACs, 16·3·3·3 + 16 params; relu: 1·16·32·32 MACs.
const CONV_MACS = 1 * 16 * 32 * 32 * (3 / 1) * 3 * 3;
const RELU_MACS = 1 * 16 * 32 * 32;
const TOTAL = CONV_MACS + RELU_MACS + RELU_MACS;

function report(layers: ReportLayer[]): CliReport {
  return {
    entry: 'Net()',
    file: 'model.py',
    input: [1, 3, 32, 32],
    convention: 'ptflops',
    totals: { params: 16 * 3 * 3 * 3 + 16, macs: TOTAL, macsPerPixel: TOTAL / (32 * 32), flops: 2 * TOTAL, pixels: 32 * 32 },
    layers,
    functionals: [
      {
        path: 'relu',
        type: 'functional:relu',
        macs: RELU_MACS,
        formula: 'numel(in)',
        doubleCount: true,
        message: 'relu inside hooked ReLU',
      },
    ],
    diagnostics: [{ severity: 'warning', message: 'decorator treated as identity', file: 'model.py', line: 7 }],
  };
}

const small = report([
  layer('conv', 'Conv2d', 16 * 3 * 3 * 3 + 16, CONV_MACS, [1, 16, 32, 32]),
  layer('relu', 'ReLU', 0, RELU_MACS, [1, 16, 32, 32]),
]);
const hostile = report([layer(HOSTILE, HOSTILE, 448, CONV_MACS, [1, 16, 32, 32]), layer('x', 'ReLU', 0, null, [1, 16, 32, 32])]);

/** A strict RFC 4180 parser, to read back what formatCsv wrote. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"' && field === '') {
      i++;
      while (i < text.length) {
        if (text[i] === '"' && text[i + 1] === '"') {
          field += '"';
          i += 2;
        } else if (text[i] === '"') {
          i++;
          break;
        } else {
          field += text[i];
          i++;
        }
      }
      continue;
    }
    if (c === ',') {
      row.push(field);
      field = '';
      i++;
      continue;
    }
    if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 2;
      continue;
    }
    assert.ok(c !== '\n' && c !== '\r' && c !== '"', `bare ${JSON.stringify(c)} outside quotes at ${i}`);
    field += c;
    i++;
  }
  assert.strictEqual(field, '', 'the CSV must end with CRLF');
  return rows;
}

describe('report formatters', () => {
  it('table: per-layer rows with separators, percentages, totals and FLOPs = 2·MACs', () => {
    const text = formatTable(small);
    const convRow = text.split('\n').find((l) => l.startsWith('conv '))!;
    assert.ok(convRow.includes('[1, 16, 32, 32]'));
    assert.ok(convRow.includes((16 * 3 * 3 * 3 + 16).toLocaleString('en-US')));
    assert.ok(convRow.includes(CONV_MACS.toLocaleString('en-US')));
    assert.ok(convRow.includes(`${((CONV_MACS / TOTAL) * 100).toFixed(2)}%`));
    assert.ok(text.includes(`Total MACs: ${TOTAL.toLocaleString('en-US')}`));
    assert.ok(text.includes(`FLOPs: ${(2 * TOTAL).toLocaleString('en-US')} (FLOPs = 2 × MACs)`));
    assert.ok(
      text.includes(`MACs/pixel: ${(TOTAL / 1024).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`),
    );
    assert.ok(text.includes('functional:relu (double count)'));
    assert.ok(text.includes('warning: decorator treated as identity (model.py:7)'));
  });

  it('table: a hostile name stays on its row and unknown MACs show as ? with the reason', () => {
    const text = formatTable(hostile);
    const rows = text.split('\n');
    const header = rows.findIndex((l) => l.startsWith('Layer'));
    // Header, rule, two layers, one functional: the newline inside the name must not add a line.
    assert.ok(rows[header + 2]!.startsWith('evil|"name",\\n<script>'));
    assert.ok(rows[header + 3]!.startsWith('x '));
    assert.ok(rows[header + 4]!.startsWith('relu '));
    assert.ok(text.includes('x: the input shape is unknown'));
  });

  it('csv: a field a spreadsheet would run as a formula gets a leading apostrophe (OWASP CSV injection)', () => {
    const formula = "=cmd|' /C calc'!A0";
    const rows = parseCsv(formatCsv(report([layer(formula, '@SUM(A1)', 1, 1, [1]), layer('+1', '-2', 1, 1, [1])])));
    const header = rows[0]!;
    assert.deepStrictEqual(
      rows.slice(1, 3).map((r) => [r[header.indexOf('path')], r[header.indexOf('type')]]),
      [
        [`'${formula}`, "'@SUM(A1)"],
        ["'+1", "'-2"],
      ],
    );
  });

  it('csv: RFC 4180 round trip, hostile strings included', () => {
    const rows = parseCsv(formatCsv(hostile));
    assert.strictEqual(rows.length, 1 + 2 + 1 + 1);
    const header = rows[0]!;
    assert.ok(rows.every((r) => r.length === header.length));
    const first = rows[1]!;
    assert.strictEqual(first[header.indexOf('path')], HOSTILE);
    assert.strictEqual(first[header.indexOf('type')], HOSTILE);
    assert.strictEqual(first[header.indexOf('macs')], String(CONV_MACS));
    assert.strictEqual(rows[2]![header.indexOf('status')], 'unknown');
    assert.strictEqual(rows[3]![header.indexOf('double_count')], 'true');
    assert.strictEqual(rows[4]![header.indexOf('macs')], String(TOTAL));
  });

  it('md: every row has the same cells; pipes, backticks and HTML are escaped', () => {
    const text = formatMarkdown(hostile);
    const tableRows = text.split('\n').filter((l) => l.startsWith('|'));
    const cells = (l: string): number => l.split(/(?<!\\)\|/).length;
    assert.ok(tableRows.length === 2 + 2 + 1);
    assert.ok(tableRows.every((l) => cells(l) === cells(tableRows[0]!)));
    assert.ok(!text.includes('<script>'));
    assert.ok(text.includes('&lt;script&gt;'));
    assert.ok(text.includes('\\`tick\\`'));
    assert.ok(text.includes(`- FLOPs: ${(2 * TOTAL).toLocaleString('en-US')} (FLOPs = 2 × MACs)`));
  });

  it('jvet: parameters, MACs, kMAC/pixel with the pixel count, convention and tool version', () => {
    const text = formatJvet(small);
    assert.ok(text.includes(`Total parameters: ${(16 * 3 * 3 * 3 + 16).toLocaleString('en-US')}`));
    assert.ok(text.includes(`Total MACs:       ${TOTAL.toLocaleString('en-US')}`));
    assert.ok(text.includes(`kMAC/pixel:       ${(TOTAL / (32 * 32) / 1000).toFixed(3)} (MACs / 1,024 pixels = 32×32 / 1000)`));
    assert.ok(text.includes('Convention:       ptflops, matches ptflops 0.7.6 (backend=pytorch)'));
  });

  it('formatReport dispatches to each format', () => {
    assert.strictEqual(formatReport('csv', small), formatCsv(small));
    assert.strictEqual(formatReport('jvet', small), formatJvet(small));
  });
});
