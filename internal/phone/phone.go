// Package phone normalises phone numbers to E.164 with libphonenumber's rules
// (github.com/nyaruka/phonenumbers), taking the UK as the default region.
package phone

import (
	"errors"
	"strings"

	"github.com/nyaruka/phonenumbers"

	"tropic/internal/tropic"
)

var _ tropic.PhoneParser = Parse

// ErrNotAPhoneNumber says the text cannot be a phone number.
var ErrNotAPhoneNumber = errors.New("not a phone number")

// Parse returns raw in E.164 (+447700900123). It accepts any number that could be
// dialled (a possible number), not only numbers in service: the Ofcom drama range
// used in tests and training parses but is not "valid".
func Parse(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" || len(raw) > 40 {
		return "", ErrNotAPhoneNumber
	}
	n, err := phonenumbers.Parse(raw, "GB")
	if err != nil || !phonenumbers.IsPossibleNumber(n) {
		return "", ErrNotAPhoneNumber
	}
	return phonenumbers.Format(n, phonenumbers.E164), nil
}
