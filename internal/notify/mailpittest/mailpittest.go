// Package mailpittest gives tests a real SMTP server, mailpit, and reads back what it
// received through mailpit's API.
//
// CI starts one mailpit and sets TROPIC_TEST_SMTP_ADDR and TROPIC_TEST_MAILPIT_URL;
// Start uses it. Otherwise (and always for StartOwn) the test starts its own mailpit
// on free loopback ports: the binary named by TROPIC_TEST_MAILPIT_BIN, or one built
// once from the module's pinned tool (go build github.com/axllent/mailpit) into the
// user cache folder. When there is no mailpit, tests skip with a message, unless
// TROPIC_TEST_MAIL=1, when they fail.
//
// Several tests and packages may share one mailpit, so each test sends to its own
// recipients (NewRecipient) and looks only at their messages.
package mailpittest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Environment variables.
const (
	SMTPAddrEnv = "TROPIC_TEST_SMTP_ADDR"   // host:port of a running mailpit's SMTP server
	URLEnv      = "TROPIC_TEST_MAILPIT_URL" // base URL of the same mailpit's web API
	BinEnv      = "TROPIC_TEST_MAILPIT_BIN" // a mailpit binary to start
	RequireEnv  = "TROPIC_TEST_MAIL"        // "1": fail instead of skipping without mailpit
)

const mailpitModule = "github.com/axllent/mailpit"

// Server is a running mailpit.
type Server struct {
	SMTPAddr string // host:port
	URL      string // e.g. http://127.0.0.1:18025, no trailing slash
	Host     string // SMTPAddr's host
	Port     int    // SMTPAddr's port
}

// Start returns the mailpit CI provides, or starts one for this test.
func Start(t testing.TB) *Server {
	t.Helper()
	addr, base := os.Getenv(SMTPAddrEnv), os.Getenv(URLEnv)
	if addr != "" && base != "" {
		return newServer(t, addr, base)
	}
	if (addr == "") != (base == "") {
		t.Fatalf("mailpittest: set both %s and %s, or neither", SMTPAddrEnv, URLEnv)
	}
	return StartOwn(t)
}

// StartOwn starts a mailpit for this test alone, with extra command-line arguments
// (for example --smtp-tls-cert), and stops it by its PID when the test ends.
func StartOwn(t testing.TB, args ...string) *Server {
	t.Helper()
	bin := binary(t)
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ { // a free port may be taken between probe and start
		s, err := startProcess(t, bin, args)
		if err == nil {
			return s
		}
		lastErr = err
	}
	t.Fatalf("mailpittest: start mailpit: %v", lastErr)
	return nil
}

func newServer(t testing.TB, addr, base string) *Server {
	t.Helper()
	host, p, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatalf("mailpittest: %s=%q: %v", SMTPAddrEnv, addr, err)
	}
	port, err := strconv.Atoi(p)
	if err != nil {
		t.Fatalf("mailpittest: %s=%q: bad port", SMTPAddrEnv, addr)
	}
	return &Server{SMTPAddr: addr, URL: strings.TrimRight(base, "/"), Host: host, Port: port}
}

var (
	buildOnce sync.Once
	builtPath string
	buildErr  error
)

// binary finds or builds the mailpit binary, skipping the test if it cannot.
func binary(t testing.TB) string {
	t.Helper()
	if p := os.Getenv(BinEnv); p != "" {
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("mailpittest: %s=%s: %v", BinEnv, p, err)
		}
		return p
	}
	buildOnce.Do(func() { builtPath, buildErr = build() })
	if buildErr != nil {
		if os.Getenv(RequireEnv) == "1" {
			t.Fatalf("mailpittest: no mailpit (%s=1): %v", RequireEnv, buildErr)
		}
		t.Skipf("e-mail test skipped: no mailpit (%v); set %s or %s/%s, or %s=1 to make this a failure",
			buildErr, BinEnv, SMTPAddrEnv, URLEnv, RequireEnv)
	}
	return builtPath
}

// build compiles the module's pinned mailpit tool once per version into the user
// cache folder, so that later test runs reuse it.
func build() (string, error) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		gobin = filepath.Join(runtime.GOROOT(), "bin", "go")
		if _, serr := os.Stat(gobin); serr != nil {
			return "", fmt.Errorf("no go command to build mailpit: %w", err)
		}
	}
	out, err := exec.Command(gobin, "list", "-m", "-f", "{{.Version}}", mailpitModule).CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go list -m %s: %v: %s", mailpitModule, err, bytes.TrimSpace(out))
	}
	version := strings.TrimSpace(string(out))
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	dir := filepath.Join(cache, "tropic-test")
	path := filepath.Join(dir, fmt.Sprintf("mailpit-%s-%s-%s", version, runtime.GOOS, runtime.GOARCH))
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	// Build beside the final name and rename, so that packages testing in parallel
	// never run a half-written binary.
	tmp, err := os.CreateTemp(dir, ".mailpit-build-*")
	if err != nil {
		return "", err
	}
	tmp.Close()
	defer os.Remove(tmp.Name())
	if out, err := exec.Command(gobin, "build", "-o", tmp.Name(), mailpitModule).CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build %s: %v: %s", mailpitModule, err, bytes.TrimSpace(out))
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return "", err
	}
	return path, nil
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

func startProcess(t testing.TB, bin string, extra []string) (*Server, error) {
	t.Helper()
	httpPort, err := freePort()
	if err != nil {
		return nil, err
	}
	smtpPort, err := freePort()
	if err != nil {
		return nil, err
	}
	if smtpPort == httpPort {
		return nil, fmt.Errorf("got port %d twice", smtpPort)
	}
	dir := t.TempDir()
	httpAddr, smtpAddr := net.JoinHostPort("127.0.0.1", strconv.Itoa(httpPort)), net.JoinHostPort("127.0.0.1", strconv.Itoa(smtpPort))
	args := append([]string{"--listen", httpAddr, "--smtp", smtpAddr, "--database", filepath.Join(dir, "mailpit.db"),
		"--disable-version-check", "--smtp-disable-rdns", "--quiet"}, extra...)
	cmd := exec.Command(bin, args...)
	logs := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	stop := func() {
		_ = cmd.Process.Kill()
		<-exited
	}
	s := &Server{SMTPAddr: smtpAddr, URL: "http://" + httpAddr, Host: "127.0.0.1", Port: smtpPort}
	deadline := time.Now().Add(15 * time.Second)
	for {
		select {
		case err := <-exited:
			exited <- err
			return nil, fmt.Errorf("mailpit exited: %v: %s", err, bytes.TrimSpace(logs.Bytes()))
		default:
		}
		if s.ready() {
			break
		}
		if time.Now().After(deadline) {
			stop()
			return nil, fmt.Errorf("mailpit not ready after 15s: %s", bytes.TrimSpace(logs.Bytes()))
		}
		time.Sleep(25 * time.Millisecond)
	}
	t.Cleanup(stop)
	return s, nil
}

// syncBuffer collects mailpit's output while the test may read it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) Bytes() []byte {
	b.mu.Lock()
	defer b.mu.Unlock()
	return bytes.Clone(b.buf.Bytes())
}

func (s *Server) ready() bool {
	resp, err := http.Get(s.URL + "/readyz")
	if err != nil {
		return false
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return false
	}
	c, err := net.DialTimeout("tcp", s.SMTPAddr, time.Second)
	if err != nil {
		return false
	}
	c.Close()
	return true
}

// NewRecipient returns an address no other test uses, e.g. triage-1f2e...@tropic.test.
func NewRecipient(t testing.TB, prefix string) string {
	t.Helper()
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return prefix + "-" + hex.EncodeToString(b) + "@tropic.test"
}

// Message is a message as mailpit lists it.
type Message struct {
	ID      string
	Subject string
	From    struct{ Address string }
	To      []struct{ Address string }
}

// MessagesTo lists the messages sent to address, newest first.
func (s *Server) MessagesTo(t testing.TB, address string) []Message {
	t.Helper()
	var res struct {
		Messages []Message `json:"messages"`
	}
	s.getJSON(t, "/api/v1/search?limit=100&query="+url.QueryEscape("to:"+address), &res)
	// The search matches substrings; keep exact matches only.
	var out []Message
	for _, m := range res.Messages {
		for _, to := range m.To {
			if strings.EqualFold(to.Address, address) {
				out = append(out, m)
				break
			}
		}
	}
	return out
}

// WaitFor waits until at least n messages to address have arrived, and returns them.
func (s *Server) WaitFor(t testing.TB, address string, n int, timeout time.Duration) []Message {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		msgs := s.MessagesTo(t, address)
		if len(msgs) >= n {
			return msgs
		}
		if time.Now().After(deadline) {
			t.Fatalf("mailpit: %d messages to %s after %v, want %d", len(msgs), address, timeout, n)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Raw returns a message exactly as the SMTP server received it.
func (s *Server) Raw(t testing.TB, id string) string {
	t.Helper()
	return string(s.get(t, "/api/v1/message/"+url.PathEscape(id)+"/raw"))
}

// Text returns a message's decoded plain-text body.
func (s *Server) Text(t testing.TB, id string) string {
	t.Helper()
	var m struct{ Text string }
	s.getJSON(t, "/api/v1/message/"+url.PathEscape(id), &m)
	return m.Text
}

func (s *Server) getJSON(t testing.TB, path string, v any) {
	t.Helper()
	if err := json.Unmarshal(s.get(t, path), v); err != nil {
		t.Fatalf("mailpit GET %s: %v", path, err)
	}
}

func (s *Server) get(t testing.TB, path string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("mailpit GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("mailpit GET %s: %v", path, err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("mailpit GET %s: %s: %s", path, resp.Status, bytes.TrimSpace(body))
	}
	return body
}
