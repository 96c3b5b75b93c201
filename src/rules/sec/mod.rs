pub mod insecure_transport;
pub mod missing_auth;
pub mod missing_rate_limit;
pub mod unbounded_input;
pub mod undefined_security_scheme;
pub mod weak_auth_scheme;
