module nats-account-operator/tools/etcd

go 1.26.0
