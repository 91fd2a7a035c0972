package config

import (
	"strings"

	"github.com/keyhole-sh/keyhole/providers/secret"
)

// CommandLine is the command grant's command line as written in the
// config, a ${VAR} shown as such and not as its value: an argument may
// carry a credential (gh's --token ${GH_TOKEN}), and the line is quoted in
// errors and listings. Resolve keeps the written form; a provider not
// resolved has only that one.
func (p *Provider) CommandLine() string {
	if p.commandWritten != nil {
		return strings.Join(p.commandWritten, " ")
	}
	return strings.Join(p.Command, " ")
}

// commandSecrets are the values the ${VAR}s of a command as written
// expand to, to be redacted wherever they might show — the program's own
// stderr, which keyhole quotes, included: an argument may carry a
// credential, and only the variable's value is known to be one.
func commandSecrets(written []string, env Env) []secret.String {
	var found []secret.String
	record := func(name string) (string, bool) {
		v, ok := env(name)
		if ok && v != "" {
			found = append(found, secret.New(v))
		}
		return v, ok
	}
	for _, arg := range written {
		_, _ = expand(arg, record) // an unset variable is Resolve's error
	}
	return found
}
