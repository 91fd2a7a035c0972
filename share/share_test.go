package share

import (
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"go.uber.org/goleak"
	gossh "golang.org/x/crypto/ssh"

	"github.com/keyhole-sh/keyhole/internal/syncbuf"
	"github.com/keyhole-sh/keyhole/share/sharetest"
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

// watch connects a viewer with a 80x24 terminal.
func watch(t *testing.T, s *Server, cfg *gossh.ClientConfig) *sharetest.Screen {
	t.Helper()
	return sharetest.Watch(t, s.Addr(), cfg, 80, 24)
}

func TestJoinCodeAdmitsAndTheViewerSeesSnapshots(t *testing.T) {
	changed := make(chan struct{}, 10)
	s := start(t, Options{Changed: func() { changed <- struct{}{} }})
	code := s.JoinCode()
	if len(code) != 14 || code[4] != '-' || code[9] != '-' {
		t.Fatalf("join code %q: want XXXX-XXXX-XXXX", code)
	}
	s.Publish("first")
	sc := watch(t, s, sharetest.CodeClient("alice", strings.ToLower(code)))
	sc.WaitFor(t, "watching first at 80x24")
	s.Publish("second")
	sc.WaitFor(t, "second at 80x24")
	if vs := s.Viewers(); len(vs) != 1 || vs[0].Who != "join code" || vs[0].User != "alice" {
		t.Errorf("viewers: %+v", vs)
	}
	select {
	case <-changed:
	case <-time.After(time.Second):
		t.Error("Changed was not called when a viewer came")
	}
	s.Close("the presenter ended the session")
	sc.WaitEnded(t, "the viewer's session did not end when the presenter closed")
	if !strings.Contains(sc.String(), "the presenter ended the session") {
		t.Errorf("no goodbye line: %q", sc.String())
	}
}

func TestAWrongCodeClosesTheConnectionAndRepeatsAreRefused(t *testing.T) {
	now := time.Unix(1e9, 0)
	var mu sync.Mutex
	s := start(t, Options{Now: func() time.Time { mu.Lock(); defer mu.Unlock(); return now }})
	var waited []time.Duration
	s.sleep = func(d time.Duration) { mu.Lock(); waited = append(waited, d); mu.Unlock() }
	for i := range lockAfter {
		if _, err := gossh.Dial("tcp", s.Addr(), sharetest.CodeClient("mallory", "AAAA-AAAA-AAAA")); err == nil {
			t.Fatalf("attempt %d: a wrong code got in", i)
		}
	}
	if _, err := gossh.Dial("tcp", s.Addr(), sharetest.CodeClient("mallory", s.JoinCode())); err == nil {
		t.Fatal("after repeated failures the right code still got in at once: no lock-out")
	}
	mu.Lock()
	if len(waited) != lockAfter-slowAfter || waited[0] != slowStep || waited[len(waited)-1] <= waited[0] {
		t.Errorf("the failures were not slowed, growing: %v", waited)
	}
	mu.Unlock()
	// Another user name from the same address is not locked out.
	c, err := gossh.Dial("tcp", s.Addr(), sharetest.CodeClient("bob", s.JoinCode()))
	if err != nil {
		t.Fatalf("one user's failures locked out another: %v", err)
	}
	c.Close()
	mu.Lock()
	now = now.Add(lockFor + time.Second)
	mu.Unlock()
	c, err = gossh.Dial("tcp", s.Addr(), sharetest.CodeClient("mallory", s.JoinCode()))
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
	if _, err := gossh.Dial("tcp", s.Addr(), sharetest.CodeClient("a", old)); err == nil {
		t.Fatal("the old code still admits")
	}
	c, err := gossh.Dial("tcp", s.Addr(), sharetest.CodeClient("a", s.JoinCode()))
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
	sc.WaitFor(t, "watching")
	if vs := s.Viewers(); len(vs) != 1 || vs[0].Who != "carol@laptop" {
		t.Errorf("viewers: %+v", vs)
	}
	// Neither a password nor a join code is asked for.
	pw := &gossh.ClientConfig{User: "carol", Auth: []gossh.AuthMethod{gossh.Password("x")}, HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 5 * time.Second}
	if _, err := gossh.Dial("tcp", s.Addr(), pw); err == nil {
		t.Fatal("a password got in")
	}
	if _, err := gossh.Dial("tcp", s.Addr(), sharetest.CodeClient("carol", "")); err == nil {
		t.Fatal("keyboard-interactive got in")
	}
}

func TestNothingButTheViewerRuns(t *testing.T) {
	s := start(t, Options{})
	client, err := gossh.Dial("tcp", s.Addr(), sharetest.CodeClient("eve", s.JoinCode()))
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
	var b syncbuf.Buffer
	sess.Stdout, sess.Stderr = &b, &b
	if err := sess.Shell(); err == nil {
		sess.Wait()
	}
	if !strings.Contains(b.String(), "needs a terminal") {
		t.Errorf("a session without a pty: %q", b.String())
	}
}

func TestMaxViewers(t *testing.T) {
	s := start(t, Options{MaxViewers: 1})
	a := watch(t, s, sharetest.CodeClient("a", s.JoinCode()))
	a.WaitFor(t, "watching")
	b := watch(t, s, sharetest.CodeClient("b", s.JoinCode()))
	b.WaitEnded(t, "a second viewer was let in past --max-viewers 1")
	if !strings.Contains(b.String(), "1 viewers are watching already") {
		t.Errorf("the refusal does not say why: %q", b.String())
	}
}

// stuckWriter passes bytes on until it is stuck, then accepts no more
// until it is closed: a viewer's terminal that stopped reading.
type stuckWriter struct {
	w      io.Writer
	stuck  atomic.Bool
	closed chan struct{}
	once   sync.Once
}

func (sw *stuckWriter) Write(p []byte) (int, error) {
	if sw.stuck.Load() {
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
	stuck := &stuckWriter{closed: make(chan struct{})}
	s.output = func(w io.Writer) io.Writer {
		var out io.Writer = w
		once.Do(func() { stuck.w, out = w, stuck })
		return out
	}
	stalled := watch(t, s, sharetest.CodeClient("slow", s.JoinCode()))
	stalled.WaitFor(t, "watching")
	stuck.stuck.Store(true)
	other := watch(t, s, sharetest.CodeClient("fine", s.JoinCode()))
	other.WaitFor(t, "watching")
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
	other.WaitFor(t, "after the stall")
	// Frames keep coming, as a presenter's would: the stuck viewer's next
	// write is the one that never ends.
	for i := 0; ; i++ {
		select {
		case <-stalled.Ended:
		case <-time.After(50 * time.Millisecond):
			if i > 600 {
				t.Fatal("a viewer that accepts no bytes was never dropped")
			}
			s.Publish(fmt.Sprintf("still going %d", i))
			continue
		}
		break
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
	client, err := gossh.Dial("tcp", s.Addr(), sharetest.CodeClient("a", s.JoinCode()))
	if err != nil {
		t.Fatal(err)
	}
	sess, _ := client.NewSession()
	var out syncbuf.Buffer
	sess.Stdout = &out
	sess.RequestPty("xterm", 24, 80, gossh.TerminalModes{})
	sess.Shell()
	s.Publish("x")
	for start := time.Now(); !strings.Contains(out.String(), "watching"); time.Sleep(10 * time.Millisecond) {
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
