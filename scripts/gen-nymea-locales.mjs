#!/usr/bin/env node
// Write mock/dialects/nymea/qt-locales.generated.ts: which locale names the nymea mock's JSONRPC.Hello reads
// as which locale, as a real nymead answers them (Hello's `locale` is QLocale(name).name() of Qt's own locale
// data, Qt 5.15.8 for nymead 1.15.2 on Debian 12). Read from a running real server, by asking it:
//
//   node scripts/gen-nymea-locales.mjs --url tcp://127.0.0.1:22322            write the file
//   node scripts/gen-nymea-locales.mjs --url tcp://127.0.0.1:22322 --stdout   print it instead
//
// What it asks (all on one connection after a JSONRPC.Hello, in batches; Hello needs no login):
// - every language code of 2 and 3 letters: the codes Qt knows and the locale each one names by itself;
// - every language with every territory code (2 letters, and the 3-digit UN M49 areas in TERRITORY_AREAS): the
//   territories it has data for (any other territory gives the language's default);
// - which 4-letter codes of ISO 15924 (SCRIPTS) Qt reads as scripts (a territory after one counts), and for
//   every language and script the default territory and the territories whose answer the script changes.
// The mock reads a name as Qt's qt_splitLocaleName does (mock/dialects/nymea/locale.ts) and looks it up here.
import { writeFileSync } from 'node:fs';
import net from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({ options: { url: { type: 'string' }, stdout: { type: 'boolean' } } });
if (!args.url || !/^tcp:\/\//.test(args.url)) {
  console.error('usage: gen-nymea-locales.mjs --url tcp://HOST:PORT [--stdout]');
  process.exit(2);
}
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const TARGET = 'mock/dialects/nymea/qt-locales.generated.ts';

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
// The UN M49 areas CLDR has locales for (es_419, en_001, en_150...), and a few it has none for.
const TERRITORY_AREAS = [
  '001',
  '002',
  '003',
  '005',
  '009',
  '011',
  '013',
  '014',
  '015',
  '017',
  '018',
  '019',
  '021',
  '029',
  '030',
  '034',
  '035',
  '039',
  '053',
  '054',
  '057',
  '061',
  '142',
  '143',
  '145',
  '150',
  '151',
  '154',
  '155',
  '202',
  '419',
];
// ISO 15924 script codes.
const SCRIPTS =
  'Adlm Afak Aghb Ahom Arab Aran Armi Armn Avst Bali Bamu Bass Batk Beng Bhks Blis Bopo Brah Brai Bugi Buhd Cakm Cans Cari Cham Cher Chrs Cirt Copt Cpmn Cprt Cyrl Cyrs Deva Diak Dogr Dsrt Dupl Egyd Egyh Egyp Elba Elym Ethi Geok Geor Glag Gong Gonm Goth Gran Grek Gujr Guru Hanb Hang Hani Hano Hans Hant Hatr Hebr Hira Hluw Hmng Hmnp Hrkt Hung Inds Ital Jamo Java Jpan Jurc Kali Kana Kawi Khar Khmr Khoj Kitl Kits Knda Kore Kpel Kthi Lana Laoo Latf Latg Latn Leke Lepc Limb Lina Linb Lisu Loma Lyci Lydi Mahj Maka Mand Mani Marc Maya Medf Mend Merc Mero Mlym Modi Mong Moon Mroo Mtei Mult Mymr Nagm Nand Narb Nbat Newa Nkdb Nkgb Nkoo Nshu Ogam Olck Orkh Orya Osge Osma Ougr Palm Pauc Pcun Pelm Perm Phag Phli Phlp Phlv Phnx Piqd Plrd Prti Psin Qaaa Qabx Ranj Rjng Rohg Roro Runr Samr Sara Sarb Saur Sgnw Shaw Shrd Shui Sidd Sind Sinh Sogd Sogo Sora Soyo Sund Sunu Sylo Syrc Syre Syrj Syrn Tagb Takr Tale Talu Taml Tang Tavt Telu Teng Tfng Tglg Thaa Thai Tibt Tirh Tnsa Toto Ugar Vaii Visp Vith Wara Wcho Wole Xpeo Xsux Yezi Yiii Zanb Zinh Zmth Zsye Zsym Zxxx Zyyy Zzzz'.split(
    ' ',
  );

// ---- asking ------------------------------------------------------------------------------------------------

const url = new URL(args.url);
const socket = net.connect(Number(url.port), url.hostname);
let buffer = '';
const replies = [];
socket.setEncoding('utf8');
socket.on('data', (text) => {
  buffer += text;
  let nl;
  while ((nl = buffer.indexOf('\n')) >= 0) {
    replies.push(JSON.parse(buffer.slice(0, nl)));
    buffer = buffer.slice(nl + 1);
  }
});
await new Promise((resolve, reject) => (socket.on('connect', resolve), socket.on('error', reject)));
let asked = 0;

/** Hello's locale for each name (the same connection throughout: Hello may be said again). */
async function ask(names) {
  const out = new Map();
  for (let i = 0; i < names.length; i += 250) {
    const chunk = names.slice(i, i + 250);
    replies.length = 0;
    socket.write(
      `${chunk.map((n, j) => JSON.stringify({ id: j + 1, method: 'JSONRPC.Hello', params: { locale: n } })).join('\n')}\n`,
    );
    const until = Date.now() + 30_000;
    while (replies.length < chunk.length) {
      if (Date.now() > until)
        throw new Error(`no answer for ${chunk.length - replies.length} of ${chunk.length} Hellos`);
      await new Promise((r) => setTimeout(r, 2));
    }
    for (const r of replies) out.set(chunk[r.id - 1], r.params.locale);
    asked += chunk.length;
  }
  return out;
}

socket.write('{"id":0,"method":"JSONRPC.Hello"}\n');
await new Promise((r) => setTimeout(r, 300));
replies.length = 0;

// Language codes: what each one names by itself.
const codes = [];
for (const a of LETTERS) for (const b of LETTERS) codes.push(a + b);
for (const a of LETTERS) for (const b of LETTERS) for (const c of LETTERS) codes.push(a + b + c);
const byCode = await ask(codes);
/** code → the locale it names alone (language_TERRITORY), for every code Qt knows. */
const languageCodes = new Map([...byCode].filter(([, name]) => name !== 'C'));
const languages = [...new Set([...languageCodes.values()].map((n) => n.split('_')[0]))].sort();
// Each language's own code must name itself (its aliases name it too: iw → he).
for (const l of languages)
  if (!languageCodes.has(l)) throw new Error(`Qt names the language ${l} but does not take its code`);

// Territories: a language's territories with data.
const territoryCodes = [];
for (const a of LETTERS) for (const b of LETTERS) territoryCodes.push((a + b).toUpperCase());
territoryCodes.push(...TERRITORY_AREAS);
const defaults = new Map(languages.map((l) => [l, languageCodes.get(l).split('_')[1]]));
const territories = new Map();
for (const l of languages) {
  const names = territoryCodes.map((t) => `${l}_${t}`);
  const got = await ask(names);
  const own = [];
  for (const t of territoryCodes) {
    const name = got.get(`${l}_${t}`);
    if (name === `${l}_${t}`) {
      if (t !== defaults.get(l)) own.push(t);
    } else if (name !== `${l}_${defaults.get(l)}`)
      throw new Error(`${l}_${t} is ${name}: neither itself nor the language's default`);
  }
  territories.set(l, own);
}

// Scripts: the codes Qt reads as scripts. After a script the territory counts ("zh_S_TW" is zh_TW, "en_S_GB"
// en_GB); after anything else it is ignored (zh_CN, en_US). One of the two suffices: zh_Hans_TW is zh_CN
// (zh has data in Hans, not in Taiwan) and en_Dsrt_GB en_US (en has data in Deseret, not in Britain).
const scriptProbe = await ask(SCRIPTS.flatMap((s) => [`zh_${s}_TW`, `en_${s}_GB`]));
const scripts = SCRIPTS.filter(
  (s) => scriptProbe.get(`zh_${s}_TW`) === 'zh_TW' || scriptProbe.get(`en_${s}_GB`) === 'en_GB',
);
if (scriptProbe.get('zh_Zzzz_TW') === undefined) throw new Error('no answer for the script probe');
// Per language and script: the default, and the territories whose answer the script changes.
const byScript = new Map();
for (const l of languages) {
  const candidates = [defaults.get(l), ...territories.get(l)];
  const names = [];
  for (const s of scripts) {
    names.push(`${l}_${s}`);
    for (const t of candidates) names.push(`${l}_${s}_${t}`);
  }
  const got = await ask(names);
  for (const s of scripts) {
    const own = got.get(`${l}_${s}`).split('_')[1];
    // Without the script, a territory answers itself (or the default if it is the default).
    const changed = candidates.filter((t) => got.get(`${l}_${s}_${t}`) !== `${l}_${t}`);
    for (const t of changed)
      if (got.get(`${l}_${s}_${t}`) !== `${l}_${own}`)
        throw new Error(`${l}_${s}_${t} is ${got.get(`${l}_${s}_${t}`)}: neither itself nor ${l}_${own}`);
    if (own !== defaults.get(l) || changed.length > 0)
      byScript.set(`${l}_${s}`, { default: own, lose: changed.filter((t) => t !== own) });
  }
}
socket.end();

// ---- writing -----------------------------------------------------------------------------------------------

const aliases = [...languageCodes]
  .filter(([code, name]) => name.split('_')[0] !== code)
  .map(([code, name]) => [code, name.split('_')[0]]);
const lines = [
  `// Generated by scripts/gen-nymea-locales.mjs from a real nymead 1.15.2 (Qt 5.15.8): do not edit by hand.`,
  `// ${asked} JSONRPC.Hello calls: every language code of 2 and 3 letters, every language with every territory code,`,
  `// every ISO 15924 code as a script (mock/dialects/nymea/locale.ts reads a name with these tables).`,
  '',
  '/** language → its default territory and the other territories Qt 5.15 has data for, space-separated. */',
  'export const LANGUAGES: Readonly<Record<string, readonly [string, string]>> = {',
  ...languages.map(
    (l) => `  ${/^[a-z]+$/.test(l) ? l : `'${l}'`}: ['${defaults.get(l)}', '${territories.get(l).join(' ')}'],`,
  ),
  '};',
  '',
  '/** Language codes Qt reads as another language (iw → he, no → nb, tl → fil). */',
  'export const LANGUAGE_ALIASES: Readonly<Record<string, string>> = {',
  ...aliases.map(([code, l]) => `  ${code}: '${l}',`),
  '};',
  '',
  '/** The 4-letter codes Qt reads as scripts. */',
  `export const SCRIPTS: ReadonlySet<string> = new Set('${scripts.join(' ')}'.split(' '));`,
  '',
  '/**',
  ' * language_Script → the default territory with that script, and the territories (of the language) that, with',
  ' * that script, answer that default instead of themselves. Pairs not here answer as the language alone.',
  ' */',
  'export const WITH_SCRIPT: Readonly<Record<string, readonly [string, string]>> = {',
  ...[...byScript].map(([k, v]) => `  ${k}: ['${v.default}', '${v.lose.join(' ')}'],`),
  '};',
  '',
];
const text = lines.join('\n');
if (args.stdout) process.stdout.write(text);
else {
  writeFileSync(join(ROOT, TARGET), text);
  console.log(
    `wrote ${TARGET}: ${languages.length} languages, ${aliases.length} aliases, ${scripts.length} scripts, ${byScript.size} language-script pairs (${asked} calls)`,
  );
}
process.exit(0);
