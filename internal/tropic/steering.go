package tropic

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxCommentaryRunes bounds the commentary the coordinator writes into the steering
// group's report before exporting it: about a page of text.
const MaxCommentaryRunes = 4000

// CheckCommentary trims the coordinator's commentary and refuses one that is not
// text or is longer than MaxCommentaryRunes, naming the field; it returns what was
// typed either way, so that a form can show it again.
func CheckCommentary(text string) (string, error) {
	text = strings.TrimSpace(strings.ReplaceAll(text, "\r\n", "\n"))
	problem := ""
	if !utf8.ValidString(text) {
		problem = "Commentary must be text"
		text = strings.ToValidUTF8(text, "\uFFFD")
	} else if n := utf8.RuneCountInString(text); n > MaxCommentaryRunes {
		problem = "Commentary must be " + strconv.Itoa(MaxCommentaryRunes) + " characters or fewer; it has " + strconv.Itoa(n)
	}
	if problem != "" {
		return text, &Error{Code: EINVALID, Message: "Check the commentary.", Fields: map[string]string{"commentary": problem}}
	}
	return text, nil
}
