/**
 * TEST-ONLY TLS identity of the simulator's immis relay: a self-signed certificate for
 * 127.0.0.1, ::1 and localhost, valid 2020-2120, with its private key. It protects nothing;
 * it exists because Node can verify certificates but cannot create them. Clients trust it by
 * passing SIM_IMMIS_CERT as an extra CA for the live view (never by turning verification off).
 * Made once with: openssl ecparam -name prime256v1 -genkey; openssl ca -selfsign
 * (subjectAltName IP:127.0.0.1,IP:::1,DNS:localhost; basicConstraints critical,CA:TRUE).
 */
export const SIM_IMMIS_CERT = `-----BEGIN CERTIFICATE-----
MIIBvTCCAWOgAwIBAgIBATAKBggqhkjOPQQDAjA2MTQwMgYDVQQDDCtibGluay1i
b3Qgc2ltdWxhdG9yIGltbWlzIHJlbGF5ICh0ZXN0IG9ubHkpMCAXDTIwMDEwMTAw
MDAwMFoYDzIxMjAwMTAxMDAwMDAwWjA2MTQwMgYDVQQDDCtibGluay1ib3Qgc2lt
dWxhdG9yIGltbWlzIHJlbGF5ICh0ZXN0IG9ubHkpMFkwEwYHKoZIzj0CAQYIKoZI
zj0DAQcDQgAENNwL7BiEe1xDpBvi3Q/L+3K5qBWG/jh0KrM3Ytq+sxI9m3aOHYRI
xwUT+le/PcHw3vXN8DQtKJUw0yJ9+HfgRqNgMF4wLAYDVR0RBCUwI4cEfwAAAYcQ
AAAAAAAAAAAAAAAAAAAAAYIJbG9jYWxob3N0MA8GA1UdEwEB/wQFMAMBAf8wHQYD
VR0OBBYEFC692N5hZF63eBBt89eEjPW4/rE5MAoGCCqGSM49BAMCA0gAMEUCIQDB
Mkd0b2f0y5ZSUPqS57MugF5QfYYhWg8qCbfryS2ZNwIgWoSOHf9aSnqlMNWZD9Sr
68+uaNTeTV6R6sF8wJq3aZs=
-----END CERTIFICATE-----
`;

export const SIM_IMMIS_KEY = `-----BEGIN EC PRIVATE KEY-----
MHcCAQEEIKlNO4CDx8zmm/yFXmMKfxtHZqXcz5CxNBVW6kTYjzAvoAoGCCqGSM49
AwEHoUQDQgAENNwL7BiEe1xDpBvi3Q/L+3K5qBWG/jh0KrM3Ytq+sxI9m3aOHYRI
xwUT+le/PcHw3vXN8DQtKJUw0yJ9+HfgRg==
-----END EC PRIVATE KEY-----
`;
