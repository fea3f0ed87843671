module example.com/api

go 1.24

require example.com/greet v0.0.0

// A module of this repository: travels in the build context, nothing comes from the network.
replace example.com/greet => ./greet
