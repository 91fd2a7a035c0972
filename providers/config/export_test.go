package config

// The texts the internal tests parse, for the external tests that also
// drive package providers (which package config cannot import).
const (
	ProviderHead = provider
	EnvConfig    = envConfig
)
