// Package notify sends Tropic's e-mail: plain-text messages through an SMTP relay,
// with go-mail. What a message says is decided by its caller; notify only delivers.
package notify

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"regexp"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// TLSPolicy says whether the connection to the SMTP server must be encrypted.
type TLSPolicy string

const (
	// TLSNone never encrypts: only for a relay on the same host or a test server.
	TLSNone TLSPolicy = "none"
	// TLSOpportunistic uses STARTTLS when the server offers it, plain text otherwise.
	TLSOpportunistic TLSPolicy = "opportunistic"
	// TLSMandatory refuses to send unless STARTTLS succeeds.
	TLSMandatory TLSPolicy = "mandatory"
)

// ParseTLSPolicy reads a TLS policy; the empty string is opportunistic.
func ParseTLSPolicy(s string) (TLSPolicy, error) {
	switch p := TLSPolicy(strings.ToLower(strings.TrimSpace(s))); p {
	case "":
		return TLSOpportunistic, nil
	case TLSNone, TLSOpportunistic, TLSMandatory:
		return p, nil
	}
	return "", fmt.Errorf("SMTP TLS policy %q: say none, opportunistic or mandatory", s)
}

// Config says how to reach the SMTP server and whom mail comes from.
type Config struct {
	Host     string // SMTP server host name or address
	Port     int    // SMTP port, usually 587 (submission) or 25
	Username string // optional: with Password, authenticate (the strongest mechanism the server offers)
	Password string
	TLS      TLSPolicy // default opportunistic
	From     string    // sender address, e.g. "Tropic <tropic@partnership.example>"
	// Timeout bounds connecting and each SMTP command; default 15 seconds.
	Timeout time.Duration
	// TLSConfig overrides certificate checks, e.g. to trust a test CA; nil uses the
	// system roots and the host name.
	TLSConfig *tls.Config
}

// ParseAddr splits "host:port" for Config.
func ParseAddr(addr string) (host string, port int, err error) {
	h, p, err := net.SplitHostPort(strings.TrimSpace(addr))
	if err != nil {
		return "", 0, fmt.Errorf("SMTP address %q: want host:port, like smtp.example.org:587", addr)
	}
	n, err := strconv.Atoi(p)
	if err != nil || n < 1 || n > 65535 || h == "" {
		return "", 0, fmt.Errorf("SMTP address %q: want host:port, like smtp.example.org:587", addr)
	}
	return h, n, nil
}

// Mailer sends plain-text e-mail. It opens one connection per Send, so it is safe for
// concurrent use and holds nothing open between messages.
type Mailer struct {
	cfg  Config
	from *mail.Address
}

// New checks the configuration and returns a Mailer. It does not connect.
func New(cfg Config) (*Mailer, error) {
	if cfg.Host == "" {
		return nil, errors.New("notify: no SMTP host")
	}
	if cfg.Port <= 0 || cfg.Port > 65535 {
		return nil, fmt.Errorf("notify: SMTP port %d out of range", cfg.Port)
	}
	if cfg.TLS == "" {
		cfg.TLS = TLSOpportunistic
	}
	if _, err := ParseTLSPolicy(string(cfg.TLS)); err != nil {
		return nil, fmt.Errorf("notify: %w", err)
	}
	if (cfg.Username == "") != (cfg.Password == "") {
		return nil, errors.New("notify: give both an SMTP username and a password, or neither")
	}
	from, err := mail.ParseAddress(cfg.From)
	if err != nil {
		return nil, fmt.Errorf("notify: sender address %q: %w", cfg.From, err)
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 15 * time.Second
	}
	return &Mailer{cfg: cfg, from: from}, nil
}

// ParseAddresses reads a comma-separated list of e-mail addresses.
func ParseAddresses(s string) ([]string, error) {
	var out []string
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		a, err := mail.ParseAddress(part)
		if err != nil {
			return nil, fmt.Errorf("e-mail address %q: %w", part, err)
		}
		out = append(out, a.Address)
	}
	return out, nil
}

// Send delivers one plain-text message to every address in to. An error means the
// server did not accept it for all of them; the caller may try again.
func (m *Mailer) Send(ctx context.Context, to []string, subject, textBody string) error {
	if len(to) == 0 {
		return errors.New("send mail: no recipients")
	}
	if strings.ContainsAny(subject, "\r\n") {
		return errors.New("send mail: line break in subject")
	}
	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	if err := msg.From(m.from.String()); err != nil {
		return fmt.Errorf("send mail: from: %w", err)
	}
	if err := msg.To(to...); err != nil {
		return fmt.Errorf("send mail: to: %w", err)
	}
	msg.Subject(subject)
	msg.SetDate()
	msg.SetMessageID()
	msg.SetBodyString(gomail.TypeTextPlain, textBody)

	c, err := gomail.NewClient(m.cfg.Host, m.clientOptions()...)
	if err != nil {
		return fmt.Errorf("send mail: %w", err)
	}
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("send mail via %s: %w", net.JoinHostPort(m.cfg.Host, strconv.Itoa(m.cfg.Port)), redactAddresses(err))
	}
	return nil
}

// emailLike matches anything shaped like an e-mail address.
var emailLike = regexp.MustCompile(`[^\s<>()\[\]"',;:]+@[^\s<>()\[\]"',;:]+`)

// addressesRedacted is a send error whose text names no e-mail address: go-mail lists
// the "affected recipient(s)", and servers echo them in their replies, but the error
// is logged (by the job and by River) and logs carry no e-mail addresses.
type addressesRedacted struct{ err error }

func (e addressesRedacted) Error() string {
	return emailLike.ReplaceAllString(e.err.Error(), "[address]")
}

func (e addressesRedacted) Unwrap() error { return e.err }

func redactAddresses(err error) error { return addressesRedacted{err} }

func (m *Mailer) clientOptions() []gomail.Option {
	opts := []gomail.Option{gomail.WithPort(m.cfg.Port), gomail.WithTimeout(m.cfg.Timeout)}
	switch m.cfg.TLS {
	case TLSNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	case TLSMandatory:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	}
	tc := m.cfg.TLSConfig
	if tc == nil {
		tc = &tls.Config{ServerName: m.cfg.Host, MinVersion: tls.VersionTLS12}
	}
	opts = append(opts, gomail.WithTLSConfig(tc))
	if m.cfg.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(m.cfg.Username), gomail.WithPassword(m.cfg.Password))
	}
	return opts
}
