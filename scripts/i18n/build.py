#!/usr/bin/env python3
"""Builds internal/web/locales/LANG.json from scripts/i18n/tx/LANG.txt ("id = text"
lines; a plural message has one line per CLDR form: "id.one = ...", "id.other = ...").
The translations are machine quality, made by the AI engineer who wrote them; each
catalogue says so and that no native speaker has reviewed it yet."""
import json, os, sys
here = os.path.dirname(os.path.abspath(__file__))
web = os.path.join(here, '..', '..', 'internal', 'web', 'locales')
en = json.load(open(os.path.join(web, 'en.json')))['messages']
META = {
 'sq': ('Shqip', 'Albanian', 'ltr'),
 'vi': ('Tiếng Việt', 'Vietnamese', 'ltr'),
 'ro': ('Română', 'Romanian', 'ltr'),
 'pl': ('Polski', 'Polish', 'ltr'),
 'ar': ('العربية', 'Arabic', 'rtl'),
 'ti': ('ትግርኛ', 'Tigrinya', 'ltr'),
 'zh-Hans': ('简体中文', 'Chinese (simplified)', 'ltr'),
}
FORMS = ('zero', 'one', 'two', 'few', 'many', 'other')
import re
# A UK telephone number in running text ("0800 555 111", not inside an
# attribute): in a right-to-left language its digit groups would be laid out in
# reverse, so it is wrapped in Unicode's left-to-right isolate (U+2066 ... U+2069).
PHONE = re.compile(r'(?<![\w"=:/\u2066])(0\d{2,4}(?: \d{3,6}){1,2})(?![\w"\u2069])')
def isolate_numbers(v):
    return PHONE.sub('\u2066\\1\u2069', v)
for lang in sys.argv[1:] or META:
    msgs = {}
    for n, line in enumerate(open(os.path.join(here, 'tx', lang + '.txt'), encoding='utf-8'), 1):
        line = line.rstrip('\n')
        if not line.strip():
            continue
        k, sep, v = line.partition(' = ')
        if not sep:
            raise SystemExit('%s.txt:%d: no " = "' % (lang, n))
        base, _, form = k.rpartition('.')
        if META[lang][2] == 'rtl':
            v = isolate_numbers(v)
        if form in FORMS and isinstance(en.get(base), dict):
            msgs.setdefault(base, {})[form] = v
        else:
            msgs[k] = v
    name, eng, d = META[lang]
    out = {'language': lang, 'name': name, 'english_name': eng, 'dir': d,
           'translator': 'Machine translation from English by the AI engineer (Claude) who built the catalogues, December 2026',
           'reviewed_by_native_speaker': False, 'messages': dict(sorted(msgs.items()))}
    json.dump(out, open(os.path.join(web, lang + '.json'), 'w', encoding='utf-8'), ensure_ascii=False, indent=1)
    print(lang, len(msgs), 'messages;', 'missing:', sorted(set(en) - set(msgs)) or 'none')
