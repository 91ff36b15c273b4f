const test = require('node:test');
const assert = require('node:assert');
const { add, mean } = require('./calc.js');

test('add', () => {
  assert.strictEqual(add(2, 3), 5);
});

test.describe('mean', () => {
  test.it('of three', () => {
    assert.strictEqual(mean([1, 2, 3]), 2);
  });

  test.it('rounds', () => {
    assert.strictEqual(mean([1, 2]), 2, 'mean of 1 and 2');
  });
});
