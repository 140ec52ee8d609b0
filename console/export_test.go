package console

import "context"

// Route is a console endpoint, for tests that enumerate them.
type Route struct {
	Method, Path string
	Public       bool
}

// Routes lists every console endpoint.
func Routes() []Route {
	var out []Route
	for _, r := range append(routeTable[:len(routeTable):len(routeTable)], mfaRoutes...) {
		out = append(out, Route{r.method, r.path, r.public})
	}
	return out
}

// LimiterSize is how many keys c's sign-in limiter holds.
func LimiterSize(c *Console) int {
	n, err := c.limits.size(context.Background())
	if err != nil {
		panic(err)
	}
	return n
}
