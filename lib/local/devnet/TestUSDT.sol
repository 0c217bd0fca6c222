// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @title TestUSDT: a minimal USDT-like ERC-20 for the local devnet.
/// @notice Mirrors mainnet USDT's quirk: `transfer` and `transferFrom` return NOTHING (no bool),
///         (and neither does `approve`), so callers must use an ABI without outputs. 6 decimals. Owner-only `mint`.
///         The constructor takes name and symbol so tests can deploy a second, "fake" token with
///         the same symbol: the gateway must trust the contract address, never the symbol.
contract TestUSDT {
    string public name;
    string public symbol;
    uint8 public constant decimals = 6;
    uint256 public totalSupply;
    address public owner;

    mapping(address => uint256) public balanceOf;
    mapping(address => mapping(address => uint256)) public allowance;

    event Transfer(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed owner, address indexed spender, uint256 value);

    constructor(string memory name_, string memory symbol_) {
        name = name_;
        symbol = symbol_;
        owner = msg.sender;
    }

    /// No return value, like mainnet USDT.
    function transfer(address to, uint256 value) external {
        _move(msg.sender, to, value);
    }

    /// No return value, like mainnet USDT.
    function transferFrom(address from, address to, uint256 value) external {
        uint256 allowed = allowance[from][msg.sender];
        if (allowed != type(uint256).max) {
            require(allowed >= value, "TestUSDT: allowance");
            allowance[from][msg.sender] = allowed - value;
        }
        _move(from, to, value);
    }

    /// No return value either: mainnet USDT's approve returns nothing too.
    function approve(address spender, uint256 value) external {
        allowance[msg.sender][spender] = value;
        emit Approval(msg.sender, spender, value);
    }

    function mint(address to, uint256 value) external {
        require(msg.sender == owner, "TestUSDT: not owner");
        require(to != address(0), "TestUSDT: zero address");
        totalSupply += value;
        balanceOf[to] += value;
        emit Transfer(address(0), to, value);
    }

    function _move(address from, address to, uint256 value) private {
        require(to != address(0), "TestUSDT: zero address");
        uint256 balance = balanceOf[from];
        require(balance >= value, "TestUSDT: balance");
        unchecked {
            balanceOf[from] = balance - value;
        }
        balanceOf[to] += value;
        emit Transfer(from, to, value);
    }
}
