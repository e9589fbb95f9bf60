(import 'rmm-memory.libsonnet') +
(import 'leaks.libsonnet') +
(import 'policy.libsonnet')
