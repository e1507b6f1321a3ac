package tropic

import (
	"bufio"
	_ "embed"
	"strings"
	"sync"
	"unicode/utf8"
)

// MinPasswordLength follows NCSC and NIST SP 800-63B guidance: length over complexity
// rules, and a check against passwords known to be common.
const MinPasswordLength = 12

//go:embed common_passwords.txt
var commonPasswordsText string

var commonPasswords = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	sc := bufio.NewScanner(strings.NewReader(commonPasswordsText))
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" && !strings.HasPrefix(line, "#") {
			m[strings.ToLower(line)] = true
		}
	}
	return m
})

// ValidatePassword checks a new password: at least 12 characters, at most 256, not a
// common password, and not one character or a simple run repeated.
func ValidatePassword(pw string) error {
	var p Problems
	n := utf8.RuneCountInString(pw)
	switch {
	case n < MinPasswordLength:
		p.Add("password", "Password must be at least 12 characters long")
	case n > 256:
		p.Add("password", "Password must be 256 characters or fewer")
	case commonPasswords()[strings.ToLower(pw)] || isRepetitive(strings.ToLower(pw)):
		p.Add("password", "This password is too common or too easy to guess; choose a longer phrase of unrelated words")
	}
	return p.Err()
}

// isRepetitive reports whether s is a short pattern repeated ("abcabcabcabc",
// "aaaaaaaaaaaa") or a run of consecutive characters ("123456789012").
func isRepetitive(s string) bool {
	for size := 1; size <= 4; size++ {
		if len(s)%size == 0 && strings.Repeat(s[:size], len(s)/size) == s {
			return true
		}
	}
	run := 1
	for i := 1; i < len(s); i++ {
		d := int(s[i]) - int(s[i-1])
		if d == 1 || d == -1 || (s[i-1] == '9' && s[i] == '0') {
			run++
		} else {
			return false
		}
	}
	return run == len(s)
}
