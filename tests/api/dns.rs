//! A DNS server for tests on 127.0.0.1: answers TXT records from a zone
//! the test gives it and NXDOMAIN for every other name, so sender
//! authentication runs its real lookups over real UDP and stays offline
//! and deterministic.

use std::{
    collections::HashMap,
    net::SocketAddr,
    sync::{Arc, Mutex},
};

use mail_auth::hickory_resolver::proto::{
    op::{Message, MessageType, ResponseCode},
    rr::{Name, RData, Record, RecordType, rdata},
};
use tokio::net::UdpSocket;

/// TXT records by lowercase name without the trailing dot.
#[derive(Clone, Default)]
pub struct Zone {
    txt: HashMap<String, Vec<String>>,
}

impl Zone {
    pub fn txt(mut self, name: &str, value: &str) -> Self {
        self.txt
            .entry(name.to_ascii_lowercase())
            .or_default()
            .push(value.to_owned());
        self
    }
}

pub struct DnsStub {
    pub addr: SocketAddr,
    /// Names asked, in order, so a test can see lookups happened.
    pub queries: Arc<Mutex<Vec<String>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for DnsStub {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl DnsStub {
    pub async fn start(zone: Zone) -> Self {
        let socket = UdpSocket::bind("127.0.0.1:0").await.expect("bind DNS stub");
        let addr = socket.local_addr().expect("stub address");
        let queries = Arc::new(Mutex::new(Vec::new()));
        let task = tokio::spawn(serve(socket, zone, queries.clone()));
        Self {
            addr,
            queries,
            task,
        }
    }
}

async fn serve(socket: UdpSocket, zone: Zone, queries: Arc<Mutex<Vec<String>>>) {
    let mut buf = vec![0u8; 4096];
    loop {
        let Ok((n, from)) = socket.recv_from(&mut buf).await else {
            return;
        };
        let Ok(request) = Message::from_vec(&buf[..n]) else {
            continue;
        };
        let mut response = Message::response(request.metadata.id, request.metadata.op_code);
        response.metadata.message_type = MessageType::Response;
        response.metadata.authoritative = true;
        response.metadata.recursion_desired = request.metadata.recursion_desired;
        response.metadata.recursion_available = true;
        let mut known = false;
        for query in &request.queries {
            response.add_query(query.clone());
            let name = query
                .name()
                .to_ascii()
                .trim_end_matches('.')
                .to_ascii_lowercase();
            queries.lock().unwrap().push(name.clone());
            known |= zone.txt.contains_key(&name);
            let fqdn = Name::from_ascii(format!("{name}.")).expect("valid name");
            if query.query_type() == RecordType::TXT {
                for value in zone.txt.get(&name).into_iter().flatten() {
                    // TXT strings hold at most 255 bytes each.
                    let chunks = value
                        .as_bytes()
                        .chunks(255)
                        .map(|c| String::from_utf8_lossy(c).into_owned())
                        .collect();
                    response.add_answer(Record::from_rdata(
                        fqdn.clone(),
                        60,
                        RData::TXT(rdata::TXT::new(chunks)),
                    ));
                }
            }
        }
        if !known {
            response.metadata.response_code = ResponseCode::NXDomain;
        }
        if let Ok(bytes) = response.to_vec() {
            let _ = socket.send_to(&bytes, from).await;
        }
    }
}
