package cli

import (
	"fmt"
	"strings"

	"github.com/keyhole-sh/keyhole/internal/termtext"
	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/config"
)

// clearWarning is the stderr line for a provider whose endpoints, named
// by keys, are plain http to a host that is not loopback: red on a
// terminal, as insecure = true's is. The name is the config's text, shown
// sanitized as insecureWarning shows it.
func clearWarning(e env, name string, keys []string) string {
	return "keyhole: " + red(e, e.stderr, "warning: "+termtext.Line(name)+": "+config.ClearWarning(keys))
}

// sayTokenNotes tells the person, on stderr, what the token request
// showed: endpoints discovery gave in plain http, a token endpoint that
// discovery put on another origin than the issuer's, and a token type
// keyhole cannot prove. A command runs one token request, so each is
// said once; a token from the cache ran no discovery and says only the
// last. Each line names the provider and quotes the server: it goes
// through the sanitizer whole.
func sayTokenNotes(e env, sess *providers.Session, tok *providers.Token) {
	name := sess.Provider().Name
	n := sess.Discovered()
	if len(n.InClear) > 0 {
		fmt.Fprintln(e.stderr, clearWarning(e, name, n.InClear))
	}
	if note := n.ForeignTokenNote(); note != "" {
		fmt.Fprintln(e.stderr, termtext.Line("keyhole: note: "+name+": "+note))
	}
	if tok != nil {
		if w := providers.TokenWarning(sess.Provider(), tok); w != "" {
			fmt.Fprintln(e.stderr, termtext.Line("keyhole: warning: "+name+": "+w))
		}
	}
}

// clearStatus is what providers adds to a provider's status for endpoints
// in plain http to a host that is not loopback; "" when there are none.
func clearStatus(e env, keys []string) string {
	if len(keys) == 0 {
		return ""
	}
	return red(e, e.stdout, "(plain http: "+strings.Join(keys, ", ")+")")
}
