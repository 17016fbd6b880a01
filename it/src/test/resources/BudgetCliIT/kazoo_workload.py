#!/usr/bin/env python3
"""A kazoo client's workload for BudgetCliIT: HOST:PORT ROOT N.

Prints what it did, by ZooKeeper op name, as one JSON object: the test's independent record.
"""
import json
import sys

from kazoo.client import KazooClient

hosts, root, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
did = {}


def count(op):
    did[op] = did.get(op, 0) + 1


zk = KazooClient(hosts=hosts, timeout=20)
zk.start(timeout=20)
zk.create(root, b"")
count("create")
for i in range(n):
    zk.create("%s/n%d" % (root, i), b"v%d" % i)
    count("create")
    zk.get("%s/n%d" % (root, i))
    count("getData")
    if zk.exists("%s/missing%d" % (root, i)) is None:
        count("exists:NONODE")
    count("exists")
zk.get_children(root)
count("getChildren")
for i in range(n):
    zk.delete("%s/n%d" % (root, i))
    count("delete")
zk.delete(root)
count("delete")
zk.stop()
zk.close()
print(json.dumps(did, sort_keys=True))
