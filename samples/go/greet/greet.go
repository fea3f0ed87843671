// Package greet is the sample's local module, reached through a replace directive.
package greet

import "strings"

// Hello greets name, capitalising its first letter.
func Hello(name string) string {
	if name == "" {
		return "Hello"
	}
	return "Hello, " + strings.ToUpper(name[:1]) + name[1:]
}
