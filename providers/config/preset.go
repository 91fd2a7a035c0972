package config

import (
	"errors"
	"fmt"

	"github.com/BurntSushi/toml"

	"github.com/keyhole-sh/keyhole/internal/tomltext"
	"github.com/keyhole-sh/keyhole/providers/preset"
)

// presetParams are p's preset parameters as written.
func (p *Provider) presetParams() preset.Params {
	return preset.Params{
		Tenant: p.Tenant, Cloud: p.Cloud, Domain: p.Domain,
		AuthorizationServer: p.AuthorizationServer, ServerURL: p.ServerURL, Realm: p.Realm,
	}
}

// presetParamFields are the preset parameters by key, for locate: a
// ${VAR} in one is found wrong only once Resolve has expanded it.
func (p *Provider) presetParamFields() []urlField {
	params := p.presetParams()
	keys := preset.ParamKeys()
	out := make([]urlField, len(keys))
	for i, k := range keys {
		out[i] = urlField{k, params.Value(k)}
	}
	return out
}

// presetTarget is the field of p that a preset's key fills, nil for a key
// the schema does not have (a preset that fills one is a bug the tests
// catch).
func (p *Provider) presetTarget(key string) *string {
	return map[string]*string{
		"grant":          (*string)(&p.Grant),
		"base_url":       &p.BaseURL,
		"issuer":         &p.Issuer,
		"token_url":      &p.TokenURL,
		"auth_url":       &p.AuthURL,
		"device_url":     &p.DeviceURL,
		"revoke_url":     &p.RevokeURL,
		"introspect_url": &p.IntrospectURL,
		"client_auth":    &p.ClientAuth,
	}[key]
}

// applyPreset fills the keys p's preset gives and p leaves empty, before
// anything else of p is checked: a preset may give the grant, the
// token_url or the base_url the checks ask for. An environment's copy of a
// provider arrives with what its base's preset filled; the keys the
// environment did not change are emptied first, so that a tenant or a
// domain it changes changes the URLs made from it.
func applyPreset(path string, data []byte, p *Provider) error {
	for k, v := range p.presetFilled {
		if t := p.presetTarget(k); t != nil && *t == v {
			*t = ""
		}
	}
	p.presetFilled = nil
	key := func(k string) toml.Key { return toml.Key{"providers", p.Name, k} }
	errAt := func(k, msg, hint string) error {
		line := tomltext.KeyLine(data, key(k))
		if line == 0 {
			line = p.Line
		}
		return &Error{File: path, Line: line, Key: key(k).String(), Msg: msg, Hint: hint}
	}
	fields, err := preset.For(p.Preset, p.presetParams())
	var pe *preset.Error
	switch {
	case errors.As(err, &pe) && pe.Key == "preset":
		if hint := suggest(p.Preset, preset.Names()); hint != "" {
			pe.Hint = hint
		}
		return errAt(pe.Key, pe.Msg, pe.Hint)
	case errors.As(err, &pe) && p.presetParams().Value(pe.Key) == "":
		// Missing: point at the table, which is where it goes.
		return &Error{File: path, Line: p.Line, Key: key(pe.Key).String(), Msg: pe.Msg, Hint: pe.Hint}
	case errors.As(err, &pe):
		return errAt(pe.Key, pe.Msg, pe.Hint)
	case err != nil:
		return errAt("preset", err.Error(), "")
	}
	filled := make(map[string]string, len(fields))
	for _, f := range fields {
		if t := p.presetTarget(f.Key); t != nil && *t == "" {
			*t = f.Value
			filled[f.Key] = f.Value
		}
	}
	p.presetFilled = filled
	return nil
}

// checkPresetResolved checks the preset parameters a ${VAR} gave, now
// that Resolve has expanded them: a tenant, domain or realm that is not
// one is named with its file and line, before the URLs made from it are.
// The URLs were made at Parse with the ${VAR}s in them, and are expanded
// as the provider's other URLs are.
func (r *Provider) checkPresetResolved(p *Provider) error {
	if p.Preset == "" {
		return nil
	}
	ps, ok := preset.Lookup(p.Preset)
	if !ok {
		return nil // Parse refused it
	}
	if _, err := ps.Fill(r.presetParams()); err != nil {
		var pe *preset.Error
		if errors.As(err, &pe) {
			msg := "with its ${VAR} expanded: " + pe.Msg
			if r.secretsIn(msg) {
				// A variable meant for a secret, named here by mistake.
				msg = fmt.Sprintf("with its ${VAR} expanded: not a %s preset %s can use (the value holds a secret, so it is not shown)", pe.Key, p.Preset)
			}
			return p.configError(pe.Key, msg, pe.Hint)
		}
		return fmt.Errorf("provider %s: preset %s: %w", p.Name, p.Preset, err)
	}
	return nil
}
