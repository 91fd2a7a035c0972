package cli

import "testing"

// TestTUIFlagsReadAsCobraWould: the start that goes past Cobra reads
// --config and --env as Cobra reads them, inline or not, the last one
// given winning.
func TestTUIFlagsReadAsCobraWould(t *testing.T) {
	for _, c := range []struct {
		args            []string
		config, envName string
		ok              bool
	}{
		{nil, "", "", true},
		{[]string{"--config", "k.toml"}, "k.toml", "", true},
		{[]string{"--config=k.toml", "--env", "prod"}, "k.toml", "prod", true},
		{[]string{"--config=a.toml", "--config", "b.toml"}, "b.toml", "", true},
		{[]string{"--env="}, "", "", true},
		// An empty --config is an error, which Cobra's path says.
		{[]string{"--env=", "--config="}, "", "", false},
		{[]string{"--config=x=y.toml"}, "x=y.toml", "", true},
		{[]string{"--config", "k.toml", "token"}, "", "", false},
		{[]string{"--configs=k.toml"}, "", "", false},
		{[]string{"-c", "k.toml"}, "", "", false},
	} {
		config, envName, ok := tuiFlags(c.args)
		if config != c.config || envName != c.envName || ok != c.ok {
			t.Errorf("tuiFlags(%q) = %q, %q, %v; want %q, %q, %v", c.args, config, envName, ok, c.config, c.envName, c.ok)
		}
	}
}
