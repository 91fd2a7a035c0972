package model

import (
	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/config"
)

// curlSources ends the notice of a copy as curl: where the command gets
// its credentials when it runs. For a DPoP provider the command also runs
// keyhole dpop for its proof (one proof per request, RFC 9449 §4), which
// a person pasting it elsewhere needs to know as much as the token's
// source. The condition is the export's own (exchange/curl dpopInjection).
func curlSources(p *config.Provider, tok *providers.Token, name string) string {
	s := "its token comes from $(keyhole token " + name + ")"
	if p.DPoP && (tok == nil || providers.SendsDPoP(p, tok)) {
		s += ", its DPoP proof from $(keyhole dpop " + name + " …)"
	}
	return s
}
