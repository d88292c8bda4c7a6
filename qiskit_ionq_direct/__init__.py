"""qiskit_ionq_direct: run Qiskit circuits on IonQ through the v0.4 REST API."""
