module nats-account-operator/tools/jwtcheck

go 1.26.0
