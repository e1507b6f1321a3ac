package notify_test

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"tropic/internal/notify"
	"tropic/internal/notify/mailpittest"
)

func newMailer(t *testing.T, s *mailpittest.Server, mod func(*notify.Config)) *notify.Mailer {
	t.Helper()
	cfg := notify.Config{Host: s.Host, Port: s.Port, TLS: notify.TLSNone, From: "Tropic <tropic@partnership.test>", Timeout: 5 * time.Second}
	if mod != nil {
		mod(&cfg)
	}
	m, err := notify.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestSendPlainText(t *testing.T) {
	t.Parallel()
	s := mailpittest.Start(t)
	to1, to2 := mailpittest.NewRecipient(t, "triage"), mailpittest.NewRecipient(t, "triage")
	m := newMailer(t, s, nil)
	body := "Reference: KM7Q-2XPA-7\nUrgency: Urgent\n\nÜnïcödé and a long line " + strings.Repeat("x", 200) + "\n"
	if err := m.Send(context.Background(), []string{to1, to2}, "Urgent report KM7Q-2XPA-7", body); err != nil {
		t.Fatal(err)
	}
	msgs := s.WaitFor(t, to1, 1, 10*time.Second)
	if len(msgs) != 1 {
		t.Fatalf("got %d messages, want 1", len(msgs))
	}
	if got := msgs[0].Subject; got != "Urgent report KM7Q-2XPA-7" {
		t.Errorf("subject %q", got)
	}
	if got := msgs[0].From.Address; got != "tropic@partnership.test" {
		t.Errorf("from %q", got)
	}
	if n := len(s.MessagesTo(t, to2)); n != 1 {
		t.Errorf("second recipient got %d messages, want 1", n)
	}
	if got := strings.ReplaceAll(s.Text(t, msgs[0].ID), "\r\n", "\n"); strings.TrimSpace(got) != strings.TrimSpace(body) {
		t.Errorf("body %q, want %q", got, body)
	}
	raw := s.Raw(t, msgs[0].ID)
	for _, want := range []string{"Content-Type: text/plain", "Message-ID:", "Date:"} {
		if !strings.Contains(raw, want) {
			t.Errorf("raw message lacks %q:\n%s", want, raw)
		}
	}
	if strings.Contains(raw, "text/html") || strings.Contains(raw, "multipart") {
		t.Errorf("want a single plain-text part:\n%s", raw)
	}
}

func TestOpportunisticTLSFallsBackToPlain(t *testing.T) {
	t.Parallel()
	s := mailpittest.Start(t)
	to := mailpittest.NewRecipient(t, "triage")
	m := newMailer(t, s, func(c *notify.Config) { c.TLS = notify.TLSOpportunistic })
	if err := m.Send(context.Background(), []string{to}, "hello", "body\n"); err != nil {
		t.Fatal(err)
	}
	s.WaitFor(t, to, 1, 10*time.Second)
}

func TestMandatoryTLSRefusesPlainServer(t *testing.T) {
	t.Parallel()
	s := mailpittest.Start(t)
	to := mailpittest.NewRecipient(t, "triage")
	m := newMailer(t, s, func(c *notify.Config) { c.TLS = notify.TLSMandatory })
	if err := m.Send(context.Background(), []string{to}, "hello", "body\n"); err == nil {
		t.Fatal("sent over a connection without TLS, want a refusal")
	}
	time.Sleep(200 * time.Millisecond)
	if n := len(s.MessagesTo(t, to)); n != 0 {
		t.Errorf("%d messages arrived, want none", n)
	}
}

func TestSendFailsWhenServerIsDown(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	m, err := notify.New(notify.Config{Host: "127.0.0.1", Port: port, TLS: notify.TLSNone, From: "tropic@partnership.test", Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Send(context.Background(), []string{"triage@partnership.test"}, "hello", "body"); err == nil {
		t.Fatal("no error with no server")
	}
}

// TestStartTLSWithAuth runs mailpit with STARTTLS required and a password file, and
// sends with mandatory TLS (trusting the test certificate) and a username.
func TestStartTLSWithAuth(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	pool := writeCert(t, dir)
	hash, err := bcrypt.GenerateFromPassword([]byte("s3cret-pass"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "auth"), []byte("relay:"+string(hash)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	s := mailpittest.StartOwn(t, "--smtp-tls-cert", filepath.Join(dir, "cert.pem"), "--smtp-tls-key", filepath.Join(dir, "key.pem"),
		"--smtp-require-starttls", "--smtp-auth-file", filepath.Join(dir, "auth"))
	tlsCfg := &tls.Config{RootCAs: pool, ServerName: "127.0.0.1", MinVersion: tls.VersionTLS12}
	to := mailpittest.NewRecipient(t, "triage")

	wrong := newMailer(t, s, func(c *notify.Config) {
		c.TLS, c.TLSConfig, c.Username, c.Password = notify.TLSMandatory, tlsCfg, "relay", "wrong-password"
	})
	if err := wrong.Send(context.Background(), []string{to}, "hello", "body\n"); err == nil {
		t.Error("sent with a wrong password")
	}
	noAuth := newMailer(t, s, func(c *notify.Config) { c.TLS, c.TLSConfig = notify.TLSMandatory, tlsCfg })
	if err := noAuth.Send(context.Background(), []string{to}, "hello", "body\n"); err == nil {
		t.Error("sent without authenticating to a server that requires it")
	}
	untrusted := newMailer(t, s, func(c *notify.Config) {
		c.TLS, c.Username, c.Password = notify.TLSMandatory, "relay", "s3cret-pass"
	})
	if err := untrusted.Send(context.Background(), []string{to}, "hello", "body\n"); err == nil {
		t.Error("sent to a server whose certificate is not trusted")
	}
	good := newMailer(t, s, func(c *notify.Config) {
		c.TLS, c.TLSConfig, c.Username, c.Password = notify.TLSMandatory, tlsCfg, "relay", "s3cret-pass"
	})
	if err := good.Send(context.Background(), []string{to}, "hello", "body\n"); err != nil {
		t.Fatal(err)
	}
	// Opportunistic TLS upgrades when the server offers STARTTLS (this one requires it).
	opportunistic := newMailer(t, s, func(c *notify.Config) {
		c.TLS, c.TLSConfig, c.Username, c.Password = notify.TLSOpportunistic, tlsCfg, "relay", "s3cret-pass"
	})
	if err := opportunistic.Send(context.Background(), []string{to}, "hello again", "body\n"); err != nil {
		t.Fatal(err)
	}
	if n := len(s.WaitFor(t, to, 2, 10*time.Second)); n != 2 {
		t.Errorf("got %d messages, want 2", n)
	}
}

// writeCert writes a self-signed certificate for 127.0.0.1 to dir and returns a pool
// that trusts it.
func writeCert(t *testing.T, dir string) *x509.CertPool {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "mailpit test"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "cert.pem"), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "key.pem"), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return pool
}

func TestSendRejectsHeaderInjection(t *testing.T) {
	t.Parallel()
	m, err := notify.New(notify.Config{Host: "127.0.0.1", Port: 25, From: "tropic@partnership.test"})
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Send(context.Background(), []string{"a@b.test"}, "hi\r\nBcc: evil@x.test", "body"); err == nil {
		t.Error("a subject with a line break was accepted")
	}
	if err := m.Send(context.Background(), nil, "hi", "body"); err == nil {
		t.Error("no recipients was accepted")
	}
}

func TestConfig(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want notify.TLSPolicy
		ok   bool
	}{{"", notify.TLSOpportunistic, true}, {"none", notify.TLSNone, true}, {"Mandatory", notify.TLSMandatory, true},
		{"opportunistic", notify.TLSOpportunistic, true}, {"starttls", "", false}} {
		got, err := notify.ParseTLSPolicy(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseTLSPolicy(%q) = %q, %v", tc.in, got, err)
		}
	}
	for _, tc := range []struct {
		in   string
		host string
		port int
	}{{"smtp.example.org:587", "smtp.example.org", 587}, {"[::1]:25", "::1", 25}, {"smtp.example.org", "", 0}, {":25", "", 0}, {"h:0", "", 0}, {"h:x", "", 0}} {
		h, p, err := notify.ParseAddr(tc.in)
		if h != tc.host || p != tc.port || (err == nil) != (tc.host != "") {
			t.Errorf("ParseAddr(%q) = %q, %d, %v", tc.in, h, p, err)
		}
	}
	addrs, err := notify.ParseAddresses(" triage@a.test, Hub <hub@b.test>,, ")
	if err != nil || strings.Join(addrs, " ") != "triage@a.test hub@b.test" {
		t.Errorf("ParseAddresses = %q, %v", addrs, err)
	}
	if _, err := notify.ParseAddresses("not an address"); err == nil {
		t.Error("ParseAddresses accepted a bad address")
	}
	for name, cfg := range map[string]notify.Config{
		"no host":          {Port: 25, From: "a@b.test"},
		"no port":          {Host: "h", From: "a@b.test"},
		"bad from":         {Host: "h", Port: 25, From: "nobody"},
		"password only":    {Host: "h", Port: 25, From: "a@b.test", Password: "p"},
		"unknown policy":   {Host: "h", Port: 25, From: "a@b.test", TLS: "sometimes"},
		"port out of band": {Host: "h", Port: 70000, From: "a@b.test"},
	} {
		if _, err := notify.New(cfg); err == nil {
			t.Errorf("%s: New accepted %+v", name, cfg)
		}
	}
}

// TestSendErrorsNameNoAddress sends to a server that refuses the recipient and echoes
// the address, as real servers do: the error is logged, so it must not hold it.
func TestSendErrorsNameNoAddress(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				r := bufio.NewReader(conn)
				fmt.Fprint(conn, "220 refuser ESMTP\r\n")
				for {
					line, err := r.ReadString('\n')
					if err != nil {
						return
					}
					switch cmd := strings.ToUpper(strings.TrimSpace(line)); {
					case strings.HasPrefix(cmd, "EHLO"), strings.HasPrefix(cmd, "HELO"):
						fmt.Fprint(conn, "250 refuser\r\n")
					case strings.HasPrefix(cmd, "RCPT"):
						fmt.Fprintf(conn, "550 5.1.1 %s: Recipient address rejected\r\n", strings.TrimSpace(line[len("RCPT TO:"):]))
					case strings.HasPrefix(cmd, "QUIT"):
						fmt.Fprint(conn, "221 bye\r\n")
						return
					default:
						fmt.Fprint(conn, "250 ok\r\n")
					}
				}
			}()
		}
	}()
	port := ln.Addr().(*net.TCPAddr).Port
	m, err := notify.New(notify.Config{Host: "127.0.0.1", Port: port, TLS: notify.TLSNone, From: "tropic@partnership.test", Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	err = m.Send(context.Background(), []string{"jo.bloggs@police.test"}, "hello", "body")
	if err == nil {
		t.Fatal("sent to a refused recipient, want an error")
	}
	if msg := err.Error(); strings.Contains(msg, "@") || !strings.Contains(msg, "550") {
		t.Errorf("got error %q, want the server's refusal without any e-mail address", msg)
	}
}
