package demo

// ServedRoutes returns every path pattern the server's mux serves, with
// its methods, so the tests can compare them with the OpenAPI description.
func ServedRoutes(s *Server) map[string][]string {
	routes := make(map[string][]string, len(s.served))
	for _, r := range s.served {
		routes[r.path] = r.methods
	}
	return routes
}
