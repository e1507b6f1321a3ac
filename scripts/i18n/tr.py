# Helper used once to extract the public templates' strings into locales/en.json.
import json, os, sys
EN = os.path.join(os.path.dirname(__file__), 'en_msgs.json')
def load():
    if os.path.exists(EN):
        return json.load(open(EN))
    return {}
def save(d):
    json.dump(d, open(EN, 'w'), ensure_ascii=False, indent=1)
def msgs(pairs):
    d = load()
    for k, v in pairs:
        if k in d and d[k] != v:
            raise SystemExit("conflict " + k)
        d[k] = v
    save(d)
def apply(path, items):
    """items: (old, key, english, call) where call is the template expression to put in place of old."""
    s = open(path).read()
    d = load()
    for old, key, eng, call in items:
        if old not in s:
            raise SystemExit("not found in %s: %s" % (path, old[:90]))
        s = s.replace(old, call)
        if key:
            if key in d and d[key] != eng:
                raise SystemExit("conflict " + key)
            d[key] = eng
    open(path, 'w').write(s)
    save(d)
