package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"
	"go.uber.org/goleak"

	"github.com/keyhole-sh/keyhole/internal/syncbuf"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestRefusesNonLoopback(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", ":0", "[::]:0", "localhost:0", "192.168.1.10:8080", "example.com:80"} {
		var out, errb bytes.Buffer
		err := run(context.Background(), []string{"--addr", addr, "tapkey"}, &out, &errb)
		if err == nil || !strings.Contains(err.Error(), "loopback") && !strings.Contains(err.Error(), addr) {
			t.Errorf("--addr %s: err %v", addr, err)
		}
		if out.Len() != 0 {
			t.Errorf("--addr %s: printed a config:\n%s", addr, out.String())
		}
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{{}, {"nosuch"}, {"--token-ttl", "-1s", "tapkey"}} {
		if err := run(context.Background(), args, io.Discard, io.Discard); err == nil {
			t.Errorf("%v: no error", args)
		}
	}
}

func TestServesPrintsConfigAndStops(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errb syncbuf.Buffer
	done := make(chan error, 1)
	// Flags after the names work too.
	go func() { done <- run(ctx, []string{"tapkey", "maptable", "--addr", "127.0.0.1:0"}, &out, &errb) }()

	deadline := time.Now().Add(3 * time.Second)
	for !strings.Contains(errb.String(), "serving") {
		if time.Now().After(deadline) {
			t.Fatalf("not serving; stdout:\n%s\nstderr:\n%s", out.String(), errb.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	text := out.String()
	if !strings.Contains(text, "export MAPTABLE_APP_SECRET=6d3a45095e1127d99338f668ccec1f35ff60148a\n") {
		t.Errorf("no export lines:\n%s", text)
	}
	// Without the "export" lines the output is one valid TOML document.
	var doc map[string]map[string]any
	if _, err := toml.Decode(regexp.MustCompile(`(?m)^export .*$`).ReplaceAllString(text, ""), &doc); err != nil {
		t.Fatalf("printed config is not TOML: %v\n%s", err, text)
	}
	if len(doc["providers"]) != 2 {
		t.Errorf("providers %v", doc["providers"])
	}
	base := regexp.MustCompile(`tapkey emulator listening on (http://127\.0\.0\.1:\d+)`).FindStringSubmatch(text)
	if base == nil {
		t.Fatalf("no address:\n%s", text)
	}
	resp, err := http.Get(base[1] + "/api/v1/Owners")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("status %d", resp.StatusCode)
	}
	http.DefaultClient.CloseIdleConnections()

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("run did not stop")
	}
	if !strings.Contains(errb.String(), "tapkey GET /api/v1/Owners -> 401") {
		t.Errorf("no request log line:\n%s", errb.String())
	}
}
