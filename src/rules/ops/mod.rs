pub mod missing_health_check;
