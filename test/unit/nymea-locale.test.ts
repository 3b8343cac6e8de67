import { describe, expect, test } from 'vitest';
import { qtLocaleName } from '../../mock/dialects/nymea/locale.js';

/** JSONRPC.Hello's locale: QLocale(name).name() of Qt 5.15, as a real nymead 1.15.2 answered each of these. */
describe('the locale Hello answers', () => {
  test.each([
    ['de', 'de_DE'],
    ['en', 'en_US'],
    ['pt', 'pt_BR'],
    ['zh', 'zh_CN'],
    ['EN', 'en_US'],
    ['DE_DE', 'de_DE'],
    ['en-GB', 'en_GB'],
    ['en-us', 'en_US'],
    ['de_AT.UTF-8', 'de_AT'],
    ['de_AT@euro', 'de_AT'],
    ['en_US_POSIX', 'en_US'],
    ['de_CH_x', 'de_CH'],
    ['de_JP', 'de_DE'],
    ['de_XX', 'de_DE'],
    ['en_DE', 'en_DE'],
    ['es_419', 'es_419'],
    ['eo', 'eo_001'],
    ['zh-Hant', 'zh_TW'],
    ['zh_Hant_CN', 'zh_TW'],
    ['zh_Hans_HK', 'zh_HK'],
    ['zh_hant', 'zh_CN'],
    ['sr_Latn', 'sr_RS'],
    ['sr_Latn_ME', 'sr_ME'],
    ['uz_Arab', 'uz_AF'],
    ['iw', 'he_IL'],
    ['no', 'nb_NO'],
    ['tl', 'fil_PH'],
    ['sh', 'sr_RS'],
    ['fil', 'fil_PH'],
    ['xx', 'C'],
    ['tlh', 'C'],
    ['eng', 'C'],
    ['und', 'C'],
    ['C', 'C'],
    ['POSIX', 'C'],
    ['', 'C'],
    [' de', 'C'],
    ['de ', 'C'],
    ['1', 'C'],
  ])('%j is %s', (name, locale) => {
    expect(qtLocaleName(name)).toBe(locale);
  });
});
