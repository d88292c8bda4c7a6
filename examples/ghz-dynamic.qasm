OPENQASM 3.0;
include "stdgates.inc";
// A three-qubit GHZ state checked mid-circuit: ancilla q[3] reads the parity of
// q[0] and q[1] (even in a GHZ state), is reset, and is reused to read the parity
// of q[1] and q[2]. Then the three data qubits are measured.
qubit[4] q;
bit[2] parity;
bit[3] ghz;
h q[0];
cx q[0], q[1];
cx q[1], q[2];
cx q[0], q[3];
cx q[1], q[3];
parity[0] = measure q[3];
reset q[3];
cx q[1], q[3];
cx q[2], q[3];
parity[1] = measure q[3];
ghz[0] = measure q[0];
ghz[1] = measure q[1];
ghz[2] = measure q[2];
