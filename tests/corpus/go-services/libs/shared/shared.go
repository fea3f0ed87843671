// Package shared is the local module both services use.
package shared

// Greeting is what the services answer.
func Greeting(service string) string { return service + " answers from the shared module" }
