package providers

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"strings"
	"time"

	"github.com/keyhole-sh/keyhole/providers/secret"
)

// loadSecret makes the client's credentials available: its secret, then
// the signer of its assertions (session_assertion.go).
func (s *Session) loadSecret(ctx context.Context) error {
	if err := s.loadClientSecret(ctx); err != nil {
		return err
	}
	return s.loadSigner()
}

// loadClientSecret makes the client secret available: the literal one, or
// the output of client_secret_cmd, run once per session (a password
// manager may ask the person to unlock it; once is enough).
func (s *Session) loadClientSecret(ctx context.Context) error {
	s.mu.Lock()
	done := s.secretLoaded
	s.mu.Unlock()
	if done {
		return nil
	}
	if s.p.ClientSecretCmd == "" {
		s.mu.Lock()
		s.secret, s.secretLoaded = s.p.ClientSecret, true
		s.mu.Unlock()
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout())
	defer cancel()
	cmd := exec.CommandContext(ctx, "sh", "-c", s.p.ClientSecretCmd)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	// A grandchild that keeps the pipes open must not hold Run past the
	// timeout.
	cmd.WaitDelay = time.Second
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = err.Error()
		}
		return &TokenError{Provider: s.p.Name, Description: "client_secret_cmd failed: " + snippet([]byte(msg), s.Redact), Hint: "run `" + s.p.ClientSecretCmd + "` yourself to see why"}
	}
	value := strings.TrimRight(stdout.String(), "\r\n")
	if value == "" {
		return &TokenError{Provider: s.p.Name, Description: "client_secret_cmd printed nothing", Hint: fmt.Sprintf("`%s` must print the secret on stdout", s.p.ClientSecretCmd)}
	}
	sec := secret.New(value)
	s.addSecret(sec)
	s.mu.Lock()
	s.secret, s.secretLoaded = sec, true
	s.mu.Unlock()
	return nil
}

// clientSecret is the secret loadSecret made available.
func (s *Session) clientSecret() secret.String {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.secret
}
