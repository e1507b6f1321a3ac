package auth

import (
	"bytes"
	"image/png"
	"net/url"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// TOTP settings: RFC 6238 defaults, which every authenticator app supports.
const (
	totpPeriod = 30
	totpSkew   = 1 // accept the step before and after, for clock drift
)

// NewTOTPSecret generates a secret for account and returns it with its otpauth:// URL.
func NewTOTPSecret(issuer, account string) (secret, keyURL string, err error) {
	key, err := totp.Generate(totp.GenerateOpts{Issuer: issuer, AccountName: account, Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		return "", "", err
	}
	return key.Secret(), key.URL(), nil
}

// TOTPQRCode renders the otpauth:// URL as a PNG QR code, locally.
func TOTPQRCode(keyURL string, size int) ([]byte, error) {
	key, err := otp.NewKeyFromURL(keyURL)
	if err != nil {
		return nil, err
	}
	img, err := key.Image(size, size)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// TOTPCode returns the code for secret at time t (for tests and the demo).
func TOTPCode(secret string, t time.Time) (string, error) {
	return totp.GenerateCodeCustom(secret, t, totp.ValidateOpts{Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
}

// CheckTOTP checks code against secret at time t and returns the time step it matched,
// so that the caller can refuse a step used before. ok is false for a wrong code.
func CheckTOTP(secret, code string, t time.Time) (step int64, ok bool) {
	code = strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return -1
		}
		return r
	}, code)
	if len(code) != 6 {
		return 0, false
	}
	now := t.Unix() / totpPeriod
	for d := int64(-totpSkew); d <= totpSkew; d++ {
		s := now + d
		want, err := TOTPCode(secret, time.Unix(s*totpPeriod, 0))
		if err == nil && want == code {
			return s, true
		}
	}
	return 0, false
}

// TOTPURL is the otpauth:// URL that authenticator apps read from the QR code.
func TOTPURL(issuer, account, secret string) string {
	v := url.Values{}
	v.Set("secret", secret)
	v.Set("issuer", issuer)
	v.Set("algorithm", "SHA1")
	v.Set("digits", "6")
	v.Set("period", "30")
	u := url.URL{Scheme: "otpauth", Host: "totp", Path: "/" + issuer + ":" + account, RawQuery: v.Encode()}
	return u.String()
}

// TOTP is the tropic.TOTPAuthenticator of this package's functions.
type TOTP struct{}

// NewSecret returns a new secret for account.
func (TOTP) NewSecret(issuer, account string) (string, error) {
	secret, _, err := NewTOTPSecret(issuer, account)
	return secret, err
}

// KeyURL is the otpauth:// address of secret.
func (TOTP) KeyURL(issuer, account, secret string) string { return TOTPURL(issuer, account, secret) }

// QRCode draws keyURL as a PNG.
func (TOTP) QRCode(keyURL string, size int) ([]byte, error) { return TOTPQRCode(keyURL, size) }

// Check reports whether code is right for secret at now, and its time step.
func (TOTP) Check(secret, code string, now time.Time) (int64, bool) {
	return CheckTOTP(secret, code, now)
}
