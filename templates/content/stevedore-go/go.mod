module stevedore-go-service

go STEVEDORE_GO_VERSION
