pub mod missing_health_check;
pub mod print_logging;
