use calc::{add, mean};

#[test]
fn mean_of_three() {
    assert_eq!(mean(&[1.0, 2.0, 3.0]), Some(2.0));
}

#[test]
fn mean_of_nothing() {
    assert_eq!(mean(&[]), None);
}

#[test]
fn adds_negative() {
    assert_eq!(add(-2, -3), -5);
}
