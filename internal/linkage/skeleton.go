package linkage

import "strings"

// Skeleton is a folded name's consonant skeleton, in which transliterations of one
// name from Arabic, Cyrillic, Ge'ez and Chinese mostly agree: the Arabic article
// (al-, el-) before a consonant and the vowel of Abdel/Abdul dropped, digraphs
// that render one sound folded (kh and h, zh ch j and dzh, sch and sh, ph and f,
// th and t, x as ks, or as s at the start of a Chinese syllable, w and v, c q and
// k, g and h, as Ukrainian h is Russian g), a final h after a vowel dropped
// (Fatimah), vowels (and y) dropped and doubled letters made single: Mohamed,
// Muhammad and محمد (mhmd) are mhmd; Oleksandr, Aleksandr and Alexander lksndr;
// Zhang and Chang jng. Words are skeletonised one by one and run together, "al"
// and "abd" standing alone taken with the next word. Only plain lower-case
// letters and spaces count; an all-vowel name keeps its first letter.
func Skeleton(name string) string {
	words := strings.Fields(name)
	var b []byte
	for i := 0; i < len(words); i++ {
		w := words[i]
		for (w == "al" || w == "el" || w == "abd" || w == "abdel" || w == "abdul" || w == "abdal") && i+1 < len(words) {
			i++
			w += words[i]
		}
		b = append(b, skeletonWord(w)...)
	}
	return string(collapse(b))
}

var skeletonDigraphs = strings.NewReplacer(
	"shch", "s", "tsch", "j", "dzh", "j", "sch", "s", "tch", "j", "sh", "s", "zh", "j", "ch", "j", "xh", "j",
	"dj", "j", "kh", "h", "gh", "g", "ph", "f", "th", "t", "dh", "d", "ck", "k", "ts", "c", "tz", "c", "cz", "j",
	"sz", "s", "rz", "j", "w", "v", "q", "k")

func isVowel(c byte) bool {
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y'
}

func skeletonWord(w string) []byte {
	var s []byte
	for i := 0; i < len(w); i++ {
		if c := w[i]; c >= 'a' && c <= 'z' {
			s = append(s, c)
		}
	}
	if len(s) == 0 {
		return nil
	}
	first := s[0]
	if len(s) >= 5 && (s[0] == 'a' || s[0] == 'e') && s[1] == 'l' && !isVowel(s[2]) && s[2] != 'l' {
		s = s[2:] // the article: Elhassan, Al-Tayeb, الطيب
	}
	if s[0] == 'x' {
		s[0] = 's' // Chinese x (Xu, Hsu)
	} else if len(s) > 2 && s[0] == 'h' && s[1] == 's' && isVowel(s[2]) {
		s = s[1:] // Wade–Giles hs
	}
	if len(s) > 1 && s[len(s)-1] == 'h' && isVowel(s[len(s)-2]) {
		s = s[:len(s)-1] // Fatimah, Abdullah
	}
	t := skeletonDigraphs.Replace(string(s))
	var out []byte
	for i := 0; i < len(t); i++ {
		c := t[i]
		switch {
		case isVowel(c):
			continue
		case c == 'x':
			out = append(out, 'k', 's')
			continue
		case c == 'c':
			c = 'k'
		case c == 'g' && i > 1 && t[i-1] == 'n':
			continue // Zhang and Chang, Wang and Wong as the Cantonese write them
		case c == 'g':
			c = 'h'
		}
		out = append(out, c)
	}
	if len(out) >= 3 && out[0] == 'b' && out[1] == 'd' && out[2] == 'l' {
		out = append(out[:2], out[3:]...) // Abdel, Abdul, Abdal: abd
	}
	if len(out) == 0 {
		return []byte{first}
	}
	return out
}

func collapse(b []byte) []byte {
	out := b[:0]
	for i, c := range b {
		if i == 0 || c != b[i-1] {
			out = append(out, c)
		}
	}
	return out
}
