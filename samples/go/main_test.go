package main

import (
	"testing"

	"example.com/greet"
)

// Run in the image build with `dotnet publish api.goproj -p:ContainerRunTests=true` (go test ./... of this module).
func TestGreetingCapitalisesTheName(t *testing.T) {
	if got := greet.Hello("stevedore"); got != "Hello, Stevedore" {
		t.Fatalf("greet.Hello(\"stevedore\") = %q", got)
	}
}
