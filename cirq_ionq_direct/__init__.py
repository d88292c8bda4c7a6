"""cirq_ionq_direct: run Cirq circuits on IonQ through the v0.4 REST API."""
