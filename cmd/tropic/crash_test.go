package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// buildTropic compiles the binary once per test run, for tests that need a separate process.
var buildTropic = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "tropic-bin-")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "tropic")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
})

// process is tropic serve running as a separate process.
type process struct {
	cmd    *exec.Cmd
	url    string
	stderr *lockedBuffer
}

func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func startProcess(t *testing.T, bin string, vars map[string]string, addr string) *process {
	t.Helper()
	p := &process{cmd: exec.Command(bin, "serve", "--addr", addr), url: "http://" + addr, stderr: &lockedBuffer{}}
	p.cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
	for k, v := range vars {
		p.cmd.Env = append(p.cmd.Env, k+"="+v)
	}
	p.cmd.Stderr = p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if p.cmd.ProcessState == nil {
			p.cmd.Process.Kill()
			p.cmd.Wait()
		}
	})
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if res, err := http.Get(p.url + "/healthz"); err == nil {
			res.Body.Close()
			return p
		}
		time.Sleep(25 * time.Millisecond)
	}
	t.Fatalf("tropic serve did not answer within 20s:\n%s", p.stderr)
	return nil
}

// crashReport is a report a client sent, with answers it can recognise later.
type crashReport struct {
	Description string   `json:"description"`
	Phones      []string `json:"phones"`
	Businesses  []string `json:"businesses"`
	Vehicles    []struct {
		Registration string `json:"registration"`
		Description  string `json:"description"`
	} `json:"vehicles"`
	People struct {
		Count int `json:"count"`
	} `json:"people"`
	Indicators []string `json:"indicators"`
	Reporter   struct {
		Anonymous bool `json:"anonymous"`
	} `json:"reporter"`
}

func TestEveryReportAClientWasToldOfSurvivesAKill(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills a separate tropic process; skipped with -short")
	}
	bin, err := buildTropic()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	vars := adminSetup(t, filepath.Join(dir, "tropic.db")) // sam.analyst: analyst and caseworker
	if _, _, err := tropicCmd(t, vars, "a long enough test passphrase\n", "user", "add", "--email", "intake@testshire.example",
		"--name", "Ida Intake", "--agency", "1", "--roles", "intake,triage"); err != nil {
		t.Fatal(err)
	}
	token, _, err := tropicCmd(t, vars, "", "token", "create", "--user", "intake@testshire.example")
	if err != nil {
		t.Fatal(err)
	}
	token = strings.TrimSpace(token)
	addr := freePort(t)
	p := startProcess(t, bin, vars, addr)

	var mu sync.Mutex
	told := map[string]crashReport{} // reference -> what the client sent
	stop := make(chan struct{})
	var wg sync.WaitGroup
	client := &http.Client{Timeout: 5 * time.Second}
	for c := 0; c < 6; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				var rep crashReport
				rep.Description = fmt.Sprintf("Client %d report %d: men sleeping at the car wash", c, i)
				rep.Phones = []string{fmt.Sprintf("07700 900%03d", (c*100+i)%1000)}
				rep.Businesses = []string{fmt.Sprintf("Car Wash %d-%d", c, i)}
				rep.Vehicles = append(rep.Vehicles, struct {
					Registration string `json:"registration"`
					Description  string `json:"description"`
				}{fmt.Sprintf("AB%02d CDE", i%100), fmt.Sprintf("van %d", i)})
				rep.People.Count = 1 + i%9
				rep.Indicators = []string{"live_where_work"}
				rep.Reporter.Anonymous = true
				body, _ := json.Marshal(rep)
				req, _ := http.NewRequest("POST", p.url+"/api/v1/reports", bytes.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+token)
				req.Header.Set("Content-Type", "application/json")
				res, err := client.Do(req)
				if err != nil {
					return // the server is gone
				}
				b, _ := io.ReadAll(res.Body)
				res.Body.Close()
				if res.StatusCode != http.StatusCreated {
					continue
				}
				var created struct{ Reference string }
				if json.Unmarshal(b, &created) == nil && created.Reference != "" {
					mu.Lock()
					told[created.Reference] = rep
					mu.Unlock()
				}
			}
		}(c)
	}
	// Kill mid-stream, once a few hundred reports are in flight and stored.
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		mu.Lock()
		n := len(told)
		mu.Unlock()
		if n >= 300 {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	p.cmd.Wait()
	close(stop)
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	if len(told) < 50 {
		t.Fatalf("only %d reports were acknowledged before the kill; the test needs more to mean anything", len(told))
	}
	t.Logf("%d reports acknowledged before SIGKILL", len(told))

	p2 := startProcess(t, bin, vars, freePort(t))
	defer func() {
		p2.cmd.Process.Signal(syscall.SIGTERM)
		p2.cmd.Wait()
	}()
	for ref, sent := range told {
		req, _ := http.NewRequest("GET", p2.url+"/api/v1/reports/"+ref, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Errorf("report %s, acknowledged before the kill: got %d after restart\n%s", ref, res.StatusCode, b)
			continue
		}
		var got crashReport
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(got) != fmt.Sprint(sent) {
			t.Errorf("report %s: stored %+v, sent %+v", ref, got, sent)
		}
	}
	if out, _, err := tropicCmd(t, vars, "", "audit", "verify"); err != nil {
		t.Errorf("audit verify after the kill: %q, %v", out, err)
	}
}
