//! GraphQL mirrors of the domain enumerations (the domain layer knows nothing
//! of GraphQL); values and meanings are the domain's. Each value is described
//! here for portal developers, since this is what introspection shows them.

macro_rules! gql_enum {
    ($(#[$meta:meta])* $name:ident => kinds::$remote:ident { $($(#[$vmeta:meta])* $variant:ident),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl From<kinds::$remote> for $name {
            fn from(value: kinds::$remote) -> Self {
                match value { $(kinds::$remote::$variant => $name::$variant),+ }
            }
        }

        impl From<$name> for kinds::$remote {
            fn from(value: $name) -> Self {
                match value { $($name::$variant => kinds::$remote::$variant),+ }
            }
        }
    };
}

mod case;
mod people;
mod procedure;
mod safeguarding;
mod support;

pub use case::*;
pub use people::*;
pub use procedure::*;
pub use safeguarding::*;
pub use support::*;
