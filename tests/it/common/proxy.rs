//! A loopback TCP relay between the server and PostgreSQL that a test can
//! cut, to see how the server behaves while its database is unreachable.

use std::net::SocketAddr;

use tokio::io::copy_bidirectional;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinHandle;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Link {
    /// Bytes flow both ways.
    Up,
    /// Every connection is closed at once, as when the database host restarts.
    Cut,
    /// Connections are accepted and never answered, as when the network drops
    /// packets: only timeouts end them.
    Silent,
}

pub struct DbProxy {
    pub addr: SocketAddr,
    link: watch::Sender<Link>,
    task: JoinHandle<()>,
}

impl DbProxy {
    pub async fn start(upstream: SocketAddr) -> DbProxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind proxy");
        let addr = listener.local_addr().expect("proxy address");
        let (link, watching) = watch::channel(Link::Up);
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                tokio::spawn(relay(client, upstream, watching.clone()));
            }
        });
        DbProxy { addr, link, task }
    }

    pub fn set(&self, link: Link) {
        self.link.send_replace(link);
    }
}

impl Drop for DbProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Serves one connection until the link changes away from how it found it.
async fn relay(mut client: TcpStream, upstream: SocketAddr, mut link: watch::Receiver<Link>) {
    let found = *link.borrow_and_update();
    let changed = async move {
        let _ = link.wait_for(|now| *now != found).await;
    };
    match found {
        Link::Cut => {}
        Link::Silent => changed.await,
        Link::Up => {
            let Ok(mut server) = TcpStream::connect(upstream).await else {
                return;
            };
            tokio::select! {
                _ = copy_bidirectional(&mut client, &mut server) => {}
                _ = changed => {}
            }
        }
    }
}
