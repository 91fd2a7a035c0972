package providers

// SessionWaiters reports how many callers wait on the token request in
// flight (0 when none is), so tests can line callers up without sleeping.
func SessionWaiters(s *Session) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.inflight == nil {
		return 0
	}
	return s.inflight.waiters
}
