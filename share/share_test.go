package share

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"go.uber.org/goleak"
	gossh "golang.org/x/crypto/ssh"
)

// watchModel is a viewer that draws the snapshot it was given and its size.
type watchModel struct {
	snap any
	w, h int
}

func (m watchModel) Init() tea.Cmd { return nil }

func (m watchModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case SnapshotMsg:
		m.snap = msg.Snapshot
	case tea.WindowSizeMsg:
		m.w, m.h = msg.Width, msg.Height
	case tea.KeyPressMsg:
		if msg.String() == "q" {
			return m, tea.Quit
		}
	}
	return m, nil
}

func (m watchModel) View() tea.View {
	return tea.NewView(fmt.Sprintf("watching %v at %dx%d", m.snap, m.w, m.h))
}

func start(t *testing.T, opts Options) *Server {
	t.Helper()
	if opts.Addr == "" {
		opts.Addr = "127.0.0.1:0"
	}
	opts.HostKeyPath = filepath.Join(t.TempDir(), "state", "share_host_ed25519")
	if err := os.MkdirAll(filepath.Dir(opts.HostKeyPath), 0o700); err != nil {
		t.Fatal(err)
	}
	if opts.NewViewer == nil {
		opts.NewViewer = func(_ Viewer, first any) tea.Model { return watchModel{snap: first} }
	}
	s, err := Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close("") })
	return s
}

// codeClient is an SSH client config that answers the join code prompt.
func codeClient(user, code string) *gossh.ClientConfig {
	return &gossh.ClientConfig{
		User: user,
		Auth: []gossh.AuthMethod{gossh.KeyboardInteractive(func(_, _ string, qs []string, _ []bool) ([]string, error) {
			out := make([]string, len(qs))
			for i := range qs {
				out[i] = code
			}
			return out, nil
		})},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(),
		Timeout:         5 * time.Second,
	}
}

// screen is a viewer's session: what it printed so far.
type screen struct {
	client *gossh.Client
	sess   *gossh.Session
	stdin  io.WriteCloser
	mu     sync.Mutex
	buf    bytes.Buffer
	ended  chan struct{}
}

func (sc *screen) Write(p []byte) (int, error) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	return sc.buf.Write(p)
}

func (sc *screen) text() string {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	return sc.buf.String()
}

// waitFor waits until the screen shows want.
func (sc *screen) waitFor(t *testing.T, want string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if strings.Contains(sc.text(), want) {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("the viewer never showed %q; it showed %q", want, sc.text())
}

// watch connects a viewer with a 80x24 terminal.
func watch(t *testing.T, s *Server, cfg *gossh.ClientConfig) *screen {
	t.Helper()
	client, err := gossh.Dial("tcp", s.Addr(), cfg)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { client.Close() })
	sess, err := client.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	sc := &screen{client: client, sess: sess, ended: make(chan struct{})}
	sess.Stdout, sess.Stderr = sc, sc
	if sc.stdin, err = sess.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	if err := sess.RequestPty("xterm-256color", 24, 80, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	go func() { sess.Wait(); close(sc.ended) }()
	return sc
}

func TestJoinCodeAdmitsAndTheViewerSeesSnapshots(t *testing.T) {
	changed := make(chan struct{}, 10)
	s := start(t, Options{Changed: func() { changed <- struct{}{} }})
	code := s.JoinCode()
	if len(code) != 14 || code[4] != '-' || code[9] != '-' {
		t.Fatalf("join code %q: want XXXX-XXXX-XXXX", code)
	}
	s.Publish("first")
	sc := watch(t, s, codeClient("alice", strings.ToLower(code)))
	sc.waitFor(t, "watching first at 80x24")
	s.Publish("second")
	sc.waitFor(t, "second at 80x24")
	if vs := s.Viewers(); len(vs) != 1 || vs[0].Who != "join code" || vs[0].User != "alice" {
		t.Errorf("viewers: %+v", vs)
	}
	select {
	case <-changed:
	case <-time.After(time.Second):
		t.Error("Changed was not called when a viewer came")
	}
	s.Close("the presenter ended the session")
	select {
	case <-sc.ended:
	case <-time.After(5 * time.Second):
		t.Fatal("the viewer's session did not end when the presenter closed")
	}
	if !strings.Contains(sc.text(), "the presenter ended the session") {
		t.Errorf("no goodbye line: %q", sc.text())
	}
}

func TestAWrongCodeClosesTheConnectionAndRepeatsAreRefused(t *testing.T) {
	now := time.Unix(1e9, 0)
	var mu sync.Mutex
	s := start(t, Options{Now: func() time.Time { mu.Lock(); defer mu.Unlock(); return now }})
	var waited []time.Duration
	s.sleep = func(d time.Duration) { mu.Lock(); waited = append(waited, d); mu.Unlock() }
	for i := range lockAfter {
		if _, err := gossh.Dial("tcp", s.Addr(), codeClient("mallory", "AAAA-AAAA-AAAA")); err == nil {
			t.Fatalf("attempt %d: a wrong code got in", i)
		}
	}
	if _, err := gossh.Dial("tcp", s.Addr(), codeClient("mallory", s.JoinCode())); err == nil {
		t.Fatal("after repeated failures the right code still got in at once: no lock-out")
	}
	mu.Lock()
	if len(waited) != lockAfter-slowAfter || waited[0] != slowStep || waited[len(waited)-1] <= waited[0] {
		t.Errorf("the failures were not slowed, growing: %v", waited)
	}
	mu.Unlock()
	// Another user name from the same address is not locked out.
	c, err := gossh.Dial("tcp", s.Addr(), codeClient("bob", s.JoinCode()))
	if err != nil {
		t.Fatalf("one user's failures locked out another: %v", err)
	}
	c.Close()
	mu.Lock()
	now = now.Add(lockFor + time.Second)
	mu.Unlock()
	c, err = gossh.Dial("tcp", s.Addr(), codeClient("mallory", s.JoinCode()))
	if err != nil {
		t.Fatalf("the lock-out did not end: %v", err)
	}
	c.Close()
}

func TestARenewedCodeAdmitsNoOneMore(t *testing.T) {
	s := start(t, Options{})
	old := s.JoinCode()
	if _, err := s.RenewCode(); err != nil {
		t.Fatal(err)
	}
	if _, err := gossh.Dial("tcp", s.Addr(), codeClient("a", old)); err == nil {
		t.Fatal("the old code still admits")
	}
	c, err := gossh.Dial("tcp", s.Addr(), codeClient("a", s.JoinCode()))
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
}

func keyPair(t *testing.T) (gossh.Signer, gossh.PublicKey) {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return signer, signer.PublicKey()
}

func TestAuthorizedKeys(t *testing.T) {
	good, goodPub := keyPair(t)
	bad, _ := keyPair(t)
	file := filepath.Join(t.TempDir(), "authorized_keys")
	os.WriteFile(file, append([]byte("# teammates\n"), []byte(strings.TrimSpace(string(gossh.MarshalAuthorizedKey(goodPub)))+" carol@laptop\n")...), 0o600)
	s := start(t, Options{AuthorizedKeys: file})
	if s.JoinCode() != "" {
		t.Error("a join code with an authorized keys file")
	}
	keyClient := func(sg gossh.Signer) *gossh.ClientConfig {
		return &gossh.ClientConfig{User: "carol", Auth: []gossh.AuthMethod{gossh.PublicKeys(sg)}, HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 5 * time.Second}
	}
	if _, err := gossh.Dial("tcp", s.Addr(), keyClient(bad)); err == nil {
		t.Fatal("an unknown key got in")
	}
	sc := watch(t, s, keyClient(good))
	sc.waitFor(t, "watching")
	if vs := s.Viewers(); len(vs) != 1 || vs[0].Who != "carol@laptop" {
		t.Errorf("viewers: %+v", vs)
	}
	// Neither a password nor a join code is asked for.
	pw := &gossh.ClientConfig{User: "carol", Auth: []gossh.AuthMethod{gossh.Password("x")}, HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 5 * time.Second}
	if _, err := gossh.Dial("tcp", s.Addr(), pw); err == nil {
		t.Fatal("a password got in")
	}
	if _, err := gossh.Dial("tcp", s.Addr(), codeClient("carol", "")); err == nil {
		t.Fatal("keyboard-interactive got in")
	}
}

func TestNothingButTheViewerRuns(t *testing.T) {
	s := start(t, Options{})
	client, err := gossh.Dial("tcp", s.Addr(), codeClient("eve", s.JoinCode()))
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	sess, _ := client.NewSession()
	out, err := sess.CombinedOutput("cat /etc/passwd")
	if err == nil || strings.Contains(string(out), "root:") {
		t.Fatalf("exec ran: %v %q", err, out)
	}
	sess, _ = client.NewSession()
	if err := sess.RequestSubsystem("sftp"); err == nil {
		t.Fatal("sftp was accepted")
	}
	if c, err := client.Dial("tcp", s.Addr()); err == nil {
		c.Close()
		t.Fatal("local port forwarding was accepted")
	}
	if l, err := client.Listen("tcp", "127.0.0.1:0"); err == nil {
		l.Close()
		t.Fatal("remote port forwarding was accepted")
	}
	// The SSH library answers an agent request, but keyhole never opens
	// an agent channel back: the viewer's agent is never used.
	agent := client.HandleChannelOpen("auth-agent@openssh.com")
	sess, _ = client.NewSession()
	sess.SendRequest("auth-agent-req@openssh.com", true, nil)
	sess.RequestPty("xterm", 24, 80, gossh.TerminalModes{})
	sess.Shell()
	select {
	case ch := <-agent:
		ch.Reject(gossh.Prohibited, "")
		t.Fatal("the server opened an agent channel")
	case <-time.After(300 * time.Millisecond):
	}
	// Without a terminal the viewer refuses, saying why.
	sess, _ = client.NewSession()
	var b screen
	sess.Stdout, sess.Stderr = &b, &b
	if err := sess.Shell(); err == nil {
		sess.Wait()
	}
	if !strings.Contains(b.text(), "needs a terminal") {
		t.Errorf("a session without a pty: %q", b.text())
	}
}

func TestMaxViewers(t *testing.T) {
	s := start(t, Options{MaxViewers: 1})
	a := watch(t, s, codeClient("a", s.JoinCode()))
	a.waitFor(t, "watching")
	b := watch(t, s, codeClient("b", s.JoinCode()))
	select {
	case <-b.ended:
	case <-time.After(5 * time.Second):
		t.Fatal("a second viewer was let in past --max-viewers 1")
	}
	if !strings.Contains(b.text(), "1 viewers are watching already") {
		t.Errorf("the refusal does not say why: %q", b.text())
	}
}

// stuckWriter takes the first frames, then accepts no more bytes until
// it is closed: a viewer's terminal that stopped reading.
type stuckWriter struct {
	w      io.Writer
	mu     sync.Mutex
	n      int
	closed chan struct{}
	once   sync.Once
}

func (sw *stuckWriter) Write(p []byte) (int, error) {
	sw.mu.Lock()
	sw.n++
	n := sw.n
	sw.mu.Unlock()
	if n > 3 {
		<-sw.closed
		return 0, io.ErrClosedPipe
	}
	return sw.w.Write(p)
}

func (sw *stuckWriter) Close() error {
	sw.once.Do(func() { close(sw.closed) })
	return nil
}

// A viewer that accepts no bytes neither slows the presenter — Publish
// never waits for it, nor do the other viewers — and is dropped once it
// has accepted nothing for StallAfter.
func TestAStalledViewerIsDroppedAndBlocksNoOne(t *testing.T) {
	s := start(t, Options{StallAfter: 200 * time.Millisecond})
	var once sync.Once
	s.output = func(w io.Writer) io.Writer {
		var out io.Writer = w
		once.Do(func() { out = &stuckWriter{w: w, closed: make(chan struct{})} })
		return out
	}
	stalled := watch(t, s, codeClient("slow", s.JoinCode()))
	stalled.waitFor(t, "watching")
	other := watch(t, s, codeClient("fine", s.JoinCode()))
	other.waitFor(t, "watching")
	published := make(chan struct{})
	go func() {
		for i := range 2000 {
			s.Publish(fmt.Sprintf("frame %d", i))
		}
		close(published)
	}()
	select {
	case <-published:
	case <-time.After(30 * time.Second):
		t.Fatal("Publish waited for a stalled viewer")
	}
	s.Publish("after the stall")
	other.waitFor(t, "after the stall")
	select {
	case <-stalled.ended:
	case <-time.After(30 * time.Second):
		t.Fatal("a viewer that accepts no bytes was never dropped")
	}
	for start := time.Now(); len(s.Viewers()) != 1; time.Sleep(10 * time.Millisecond) {
		if time.Since(start) > 30*time.Second {
			t.Fatalf("viewers after the drop: %+v", s.Viewers())
		}
	}
}

// Every goroutine the share starts ends with Close, viewers included.
func TestCloseLeavesNoGoroutine(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	dir := t.TempDir()
	s, err := Start(Options{Addr: "127.0.0.1:0", HostKeyPath: filepath.Join(dir, "hk"),
		NewViewer: func(_ Viewer, first any) tea.Model { return watchModel{snap: first} }})
	if err != nil {
		t.Fatal(err)
	}
	client, err := gossh.Dial("tcp", s.Addr(), codeClient("a", s.JoinCode()))
	if err != nil {
		t.Fatal(err)
	}
	sess, _ := client.NewSession()
	var out screen
	sess.Stdout = &out
	sess.RequestPty("xterm", 24, 80, gossh.TerminalModes{})
	sess.Shell()
	s.Publish("x")
	for start := time.Now(); !strings.Contains(out.text(), "watching"); time.Sleep(10 * time.Millisecond) {
		if time.Since(start) > 5*time.Second {
			t.Fatal("no frame")
		}
	}
	if err := s.Close("bye"); err != nil {
		t.Fatal(err)
	}
	sess.Wait()
	client.Close()
}

func TestHostKeyIsPrivate(t *testing.T) {
	s := start(t, Options{})
	fi, err := os.Stat(s.opts.HostKeyPath)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("host key mode %o, want 600", fi.Mode().Perm())
	}
	if !strings.HasPrefix(s.Fingerprint(), "SHA256:") {
		t.Errorf("fingerprint %q", s.Fingerprint())
	}
}
