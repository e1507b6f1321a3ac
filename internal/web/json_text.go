package web

import (
	"bytes"
	"encoding/json"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// Go's JSON decoder silently replaces what is not text (bytes that are not UTF-8,
// and a \u escape of half a surrogate pair) with U+FFFD. An API client would then
// get back a report that is not what it sent, so such a body is refused before it
// is decoded, naming the field that holds it.

// rewrittenJSONField returns the JSON path (like "location.address" or
// "businesses[1]", as the API names fields) of the first string in body that the
// decoder would rewrite, "body" when that is outside any field or body is not JSON
// up to there, and "" when there is none.
func rewrittenJSONField(body []byte) string {
	if utf8.Valid(body) && !bytes.Contains(body, []byte(`\ud`)) && !bytes.Contains(body, []byte(`\uD`)) {
		return "" // the quick answer for almost every body
	}
	type frame struct {
		array   bool
		index   int
		key     string
		wantKey bool
	}
	var stack []frame
	path := func() string {
		var b []byte
		for _, f := range stack {
			if f.array {
				b = append(b, '[')
				b = strconv.AppendInt(b, int64(f.index), 10)
				b = append(b, ']')
				continue
			}
			if len(b) > 0 {
				b = append(b, '.')
			}
			b = append(b, f.key...)
		}
		if len(b) == 0 {
			return "body"
		}
		return string(b)
	}
	// valueDone moves the innermost container past a value.
	valueDone := func() {
		if n := len(stack); n > 0 {
			if stack[n-1].array {
				stack[n-1].index++
			} else {
				stack[n-1].wantKey = true
			}
		}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	for {
		start := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			// The end, or JSON the decoder refuses itself: nothing rewritten was found
			// before it. Bytes that are not UTF-8 are then outside any string.
			if utf8.Valid(body) {
				return ""
			}
			return "body"
		}
		end := dec.InputOffset()
		switch tok := tok.(type) {
		case json.Delim:
			switch tok {
			case '{':
				stack = append(stack, frame{wantKey: true})
			case '[':
				stack = append(stack, frame{array: true})
			default:
				stack = stack[:len(stack)-1]
				valueDone()
			}
		case string:
			rewritten := !plainJSONString(body[start:end])
			if n := len(stack); n > 0 && !stack[n-1].array && stack[n-1].wantKey {
				if rewritten {
					stack = stack[:n-1]
					return path() // a field's name is not text: name the object
				}
				stack[n-1].key, stack[n-1].wantKey = tok, false
				continue
			}
			if rewritten {
				return path()
			}
			valueDone()
		default:
			valueDone()
		}
	}
}

// plainJSONString reports whether the bytes of one JSON string token (with what
// precedes it: spaces, a comma or a colon) decode without replacement: valid UTF-8,
// and every \u escape of a surrogate half paired with its other half.
func plainJSONString(raw []byte) bool {
	i := bytes.IndexByte(raw, '"')
	if i < 0 {
		return true
	}
	s := raw[i+1:]
	for len(s) > 0 {
		switch c := s[0]; {
		case c == '"':
			return true
		case c == '\\' && len(s) >= 6 && s[1] == 'u':
			r1, ok := hex4(s[2:6])
			if !ok {
				return true // not a valid escape: the decoder refuses the body itself
			}
			s = s[6:]
			if !utf16.IsSurrogate(rune(r1)) {
				continue
			}
			if len(s) < 6 || s[0] != '\\' || s[1] != 'u' {
				return false
			}
			r2, ok := hex4(s[2:6])
			if !ok || utf16.DecodeRune(rune(r1), rune(r2)) == utf8.RuneError {
				return false
			}
			s = s[6:]
		case c == '\\' && len(s) >= 2:
			s = s[2:]
		case c < utf8.RuneSelf:
			s = s[1:]
		default:
			r, size := utf8.DecodeRune(s)
			if r == utf8.RuneError && size <= 1 {
				return false
			}
			s = s[size:]
		}
	}
	return true
}

// hex4 reads four hexadecimal digits.
func hex4(b []byte) (uint16, bool) {
	n, err := strconv.ParseUint(string(b), 16, 16)
	return uint16(n), err == nil
}
