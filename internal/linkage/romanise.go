package linkage

import (
	"strings"
	"unicode"

	"github.com/mozillazg/go-pinyin"
	"golang.org/x/text/unicode/norm"
)

// Names are compared in one space: Latin letters without diacritics. Romanise
// brings a name there from the scripts the partnership's records hold, by the
// schemes cited in docs/romanisation.md:
//   - Cyrillic: the Ukrainian national system (Cabinet of Ministers resolution 55,
//     2010) when the name has a letter only Ukrainian uses (і ї є ґ), else the
//     Russian passport system (ICAO Doc 9303, as Russia has used since 2013);
//   - Arabic (and Persian letters): one Latin letter or digraph per letter, the
//     short-vowel marks read when written, the article written "al"; vowels are
//     mostly unwritten in Arabic, so names are then compared by their consonant
//     skeleton (Skeleton);
//   - Ge'ez (Tigrinya and Amharic): each syllable as its consonant and the vowel
//     of its order (ä written e, the sixth order without a vowel);
//   - Han: Hanyu Pinyin without tones, from the dictionary of
//     github.com/mozillazg/go-pinyin, a syllable a word;
//   - Latin: diacritics removed (Vietnamese, Romanian ș ț with comma or cedilla,
//     Albanian ë ç, Polish ł and the rest).
// Letters of other scripts are kept as they are.

// Script is the writing system a name was entered in.
type Script uint8

const (
	ScriptLatin Script = iota
	ScriptCyrillic
	ScriptArabic
	ScriptGeez
	ScriptHan
	ScriptOther
)

var scriptNames = [...]string{"Latin", "Cyrillic", "Arabic", "Ge'ez", "Han characters", "another script"}

func (s Script) String() string { return scriptNames[s] }

// Romanise gives s with every letter of Cyrillic, Arabic, Ge'ez and Han script in
// Latin letters and every Latin letter without its diacritics, in lower case;
// other characters are kept. The script is the one most of its letters are in.
func Romanise(s string) (string, Script) {
	var counts [len(scriptNames)]int
	var b strings.Builder
	b.Grow(len(s))
	rs := []rune(strings.ToLower(s))
	ukrainian := strings.ContainsAny(string(rs), "іїєґ")
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case r < 0x80:
			b.WriteRune(r)
			if unicode.IsLetter(r) {
				counts[ScriptLatin]++
			}
		case unicode.Is(unicode.Cyrillic, r):
			counts[ScriptCyrillic]++
			b.WriteString(cyrillic(r, i == 0 || !unicode.IsLetter(rs[i-1]), ukrainian))
		case unicode.Is(unicode.Arabic, r):
			counts[ScriptArabic]++
			if r == 'ع' && (i == 0 || !unicode.IsLetter(rs[i-1])) {
				b.WriteByte('a') // Abdel, Omar, Osman: written with a vowel at the start
			} else {
				b.WriteString(arabicLetters[r])
			}
		case r >= 0x1200 && r <= 0x137f:
			counts[ScriptGeez]++
			b.WriteString(geez(r))
		case unicode.Is(unicode.Han, r):
			counts[ScriptHan]++
			j := i
			for j < len(rs) && unicode.Is(unicode.Han, rs[j]) {
				j++
			}
			syl := pinyin.LazyPinyin(string(rs[i:j]), pinyin.NewArgs())
			b.WriteString(" " + strings.Join(syl, " ") + " ")
			counts[ScriptHan] += j - i - 1
			i = j - 1
		case unicode.IsMark(r):
			// a combining accent typed apart: dropped
		default:
			if f, ok := latinLetters[r]; ok {
				b.WriteString(f)
				counts[ScriptLatin]++
				continue
			}
			d := norm.NFD.String(string(r))
			base, _ := utf8First(d)
			if base < 0x80 && unicode.IsLetter(base) {
				b.WriteRune(base) // é, ș, ş, ễ: the letter without its marks
				counts[ScriptLatin]++
				continue
			}
			if unicode.IsLetter(r) {
				counts[ScriptOther]++
			}
			b.WriteRune(r)
		}
	}
	best := ScriptLatin
	for sc := range counts {
		if counts[sc] > counts[best] {
			best = Script(sc)
		}
	}
	return b.String(), best
}

func utf8First(s string) (rune, int) {
	for _, r := range s {
		return r, 1
	}
	return 0, 0
}

// latinLetters are Latin letters that Unicode does not decompose into a letter
// and marks.
var latinLetters = map[rune]string{'ł': "l", 'đ': "d", 'ø': "o", 'ß': "ss", 'æ': "ae", 'œ': "oe", 'þ': "th",
	'ð': "d", 'ı': "i", 'ħ': "h", 'ŀ': "l", 'ŧ': "t", 'ŉ': "n", 'ĸ': "k"}

// cyrillic romanises one lower-case Cyrillic letter: Ukrainian national system
// when ukrainian, else the Russian passport (ICAO) system.
func cyrillic(r rune, initial, ukrainian bool) string {
	if ukrainian {
		switch r {
		case 'г':
			return "h"
		case 'ґ':
			return "g"
		case 'и':
			return "y"
		case 'і':
			return "i"
		case 'є', 'ї', 'й', 'ю', 'я':
			if initial {
				return map[rune]string{'є': "ye", 'ї': "yi", 'й': "y", 'ю': "yu", 'я': "ya"}[r]
			}
			return map[rune]string{'є': "ie", 'ї': "i", 'й': "i", 'ю': "iu", 'я': "ia"}[r]
		case 'щ':
			return "shch"
		}
	}
	if s, ok := cyrillicLetters[r]; ok {
		return s
	}
	return string(r)
}

var cyrillicLetters = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'ґ': "g", 'д': "d", 'е': "e", 'ё': "e", 'є': "ie", 'ж': "zh", 'з': "z",
	'и': "i", 'і': "i", 'ї': "i", 'й': "i", 'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o", 'п': "p", 'р': "r",
	'с': "s", 'т': "t", 'у': "u", 'ф': "f", 'х': "kh", 'ц': "ts", 'ч': "ch", 'ш': "sh", 'щ': "shch", 'ъ': "ie",
	'ы': "y", 'ь': "", 'э': "e", 'ю': "iu", 'я': "ia", 'ў': "u", 'ј': "j", 'љ': "lj", 'њ': "nj", 'ћ': "c", 'ђ': "dj",
	'џ': "dz", 'ѓ': "gj", 'ќ': "kj", 'ѕ': "dz",
}

// arabicLetters: consonants as in the common English forms of names (ح and ه
// both h, ع and ء unwritten), long vowels as vowels, short-vowel marks read.
var arabicLetters = map[rune]string{
	'ا': "a", 'أ': "a", 'إ': "i", 'آ': "a", 'ٱ': "a", 'ب': "b", 'ت': "t", 'ث': "th", 'ج': "j", 'ح': "h", 'خ': "kh",
	'د': "d", 'ذ': "dh", 'ر': "r", 'ز': "z", 'س': "s", 'ش': "sh", 'ص': "s", 'ض': "d", 'ط': "t", 'ظ': "z", 'ع': "",
	'غ': "gh", 'ف': "f", 'ق': "q", 'ك': "k", 'ل': "l", 'م': "m", 'ن': "n", 'ه': "h", 'و': "w", 'ي': "y", 'ى': "a",
	'ة': "a", 'ء': "", 'ئ': "", 'ؤ': "", 'پ': "p", 'چ': "ch", 'ژ': "zh", 'گ': "g", 'ک': "k", 'ی': "y", 'ە': "e",
	'\u064e': "a", '\u064f': "u", '\u0650': "i", '\u064b': "an", '\u064c': "un", '\u064d': "in", '\u0651': "", '\u0652': "",
	'\u0640': "", // tatweel
}

// geezRows are the consonants of the Ge'ez syllabary's rows of eight, from U+1200.
var geezRows = [...]string{
	"h", "l", "h", "m", "s", "r", "s", "sh", "q", "qw", "q", "qw", "b", "v", "t", "ch",
	"h", "hw", "n", "ny", "", "k", "kw", "k", "kw", "w", "", "z", "zh", "y", "d", "dd",
	"j", "g", "gw", "gg", "t", "ch", "p", "ts", "ts", "f", "p", "", "", "", "", "",
}

// labiovelar rows have the orders wä, -, wi, wa, we, wə.
var geezLabiovelar = map[string]bool{"qw": true, "hw": true, "kw": true, "gw": true}

// geez romanises one Ge'ez syllable: its row's consonant and its order's vowel.
func geez(r rune) string {
	off := int(r - 0x1200)
	row, order := off/8, off%8
	if row >= len(geezRows) {
		return ""
	}
	c := geezRows[row]
	if geezLabiovelar[c] {
		return c[:len(c)-1] + [...]string{"we", "", "wi", "wa", "we", "w", "", ""}[order]
	}
	vowels := [...]string{"e", "u", "i", "a", "e", "", "o", "wa"}
	if c == "" { // the glottal and pharyngeal rows: the vowel alone
		vowels[0], vowels[5] = "a", "e"
	}
	return c + vowels[order]
}
